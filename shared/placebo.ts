// Placebo (issue 10 item 11b). A subject on placebo is not on a dose level of the plan: it gets its
// own "Placebo" row and never enters the escalation history or rule.
// Rule: no active dose was given (every EXDOSE is 0 or missing) and the data say placebo — EXTRT,
// ARM or ACTARM containing PLACEBO (CDISC pilot: ARM "Placebo", EXTRT "PLACEBO", EXDOSE 0), or
// ARMCD / ACTARMCD like PBO / PLACEBO (SDTMIG TA examples: ARMCD "PBO"). A subject given an active
// dose is never placebo, whatever the arm says (actual treatment wins, as ACTARM over ARM).

const PLACEBO_TEXT = /PLACEBO/i;
const PLACEBO_CODE = /PBO|PLACEBO/i;

export function isPlacebo(o: {
  doses: readonly { dose: number | null; extrt: string | null }[];
  arm?: string | null;
  actarm?: string | null;
  armcd?: string | null;
  actarmcd?: string | null;
}): boolean {
  if (o.doses.some((d) => d.dose !== null && d.dose > 0)) return false;
  if (o.doses.some((d) => PLACEBO_TEXT.test(d.extrt ?? ''))) return true;
  if (PLACEBO_TEXT.test(o.actarm ?? '') || PLACEBO_TEXT.test(o.arm ?? '')) return true;
  return PLACEBO_CODE.test(o.actarmcd ?? '') || PLACEBO_CODE.test(o.armcd ?? '');
}
