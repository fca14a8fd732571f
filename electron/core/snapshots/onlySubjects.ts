// A view that draws a few subjects (a patient profile, a page of swimmer lanes) asks for those
// subjects' part of a study-wide answer (`usubjids`), not the whole study: the answer is derived (and
// stored) whole once, then filtered here. Everything but the per-subject list is the whole study's.

/** The answer with its `subjects` list cut to `usubjids` (unchanged without them). */
export function onlySubjects<T extends { subjects: readonly { usubjid: string }[] }>(answer: T, usubjids: readonly string[] | undefined): T {
  if (!usubjids) return answer;
  const only = new Set(usubjids);
  return { ...answer, subjects: answer.subjects.filter((s) => only.has(s.usubjid)) };
}
