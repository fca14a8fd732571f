import { isTreatmentEmergent } from '../../../shared/cohorts';
import { countValues } from '../../../shared/mapping';
import type { AeFacts } from '../../../shared/model';
import { aeAction, aeActions, aeActionTable, aeKey, aeListing, aeRelationship, actionNotInterpretable, relatedIncidence, socGradeGridOf, DOSE_CHANGE_ACTIONS } from '../../../shared/safety/index';
import type { App, CoreContext } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { loadAes, loadSubjects } from '../queries/subjects';
import { levelGroups, treatedSubjects } from './groups';
import { loadSuppAeacn } from './queries';
import { incidence } from './app';

// Handlers of the committee's AE tables (safety.relatedIncidence, safety.aeAction,
// safety.socGradeGrid). Same TEAEs, treated subjects and dose-level groups as safety.incidence;
// the rules are in shared/safety/aeTables.ts.

export function registerAeTables(app: App): void {
  app.method('safety.relatedIncidence', ({ snapshotId, minGrade }, ctx) =>
    snapshotAnswer(
      ctx,
      snapshotId,
      'safety.relatedIncidence',
      () => {
        const b = teaeBase(ctx, snapshotId);
        const t = relatedIncidence(b.groups, b.treated, b.teaes, minGrade);
        return { snapshotId, dataCutoff: b.cutoff, ...t, aerelValues: valueReadings(b.teaes.map((a) => a.aerel ?? null), aeRelationship) };
      },
      { minGrade },
    ),
  );
  app.method('safety.aeAction', ({ snapshotId }, ctx) => snapshotAnswer(ctx, snapshotId, 'safety.aeAction', () => aeActionAnswer(ctx, snapshotId)));
  // From the any-grade incidence table counted over the stored AE facts (safety/app.ts incidence).
  app.method('safety.socGradeGrid', async ({ snapshotId }, ctx) => {
    const t = await incidence(ctx, snapshotId, 'level', 1);
    return { snapshotId, dataCutoff: t.dataCutoff, ...socGradeGridOf(t) };
  });
}

/** safety.aeAction: the action-taken table and the listing of AEs that changed the dose or whose action was not read. */
function aeActionAnswer(ctx: CoreContext, snapshotId: number) {
  const b = teaeBase(ctx, snapshotId);
  const supp = loadSuppAeacn(ctx.db, snapshotId);
  const t = aeActionTable(b.groups, b.treated, b.teaes, supp);
  const { definition } = snapshotContext(ctx, snapshotId);
  const treated = new Set(b.treated.map((t) => t.usubjid));
  const rows = aeListing(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), loadAes(ctx.db, snapshotId, definition.ae.gradeVariable), definition)
    .filter((r) => r.teae && treated.has(r.usubjid))
    .map((r) => ({ ...r, actions: aeActions(r.aeacn, supp.get(aeKey(r))) }));
  const change = DOSE_CHANGE_ACTIONS as readonly string[];
  // Empty AEACN is common (not collected) and is counted, not listed row by row.
  const changed = rows.filter((r) => r.actions.some((a) => change.includes(a)));
  const isChanged = new Set(changed); // a set, not a search of the changed rows for every row (quadratic)
  const unread = rows.filter((r) => !isChanged.has(r) && r.actions.some((a) => actionNotInterpretable(a) && a !== 'missing'));
  const listing = [...changed, ...unread].map(({ actions, ...r }) => ({ ...r, action: actions.join('; ') }));
  return { snapshotId, dataCutoff: b.cutoff, ...t, aeacnValues: acnReadings(b.teaes, supp), listing };
}

/** TEAEs of treated subjects (dosed on or before the cut-off) and their dose-level groups: the base of safety.incidence. */
export function teaeBase(ctx: CoreContext, snapshotId: number) {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const subjects = treatedSubjects(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), cutoff);
  const firstDose = new Map(subjects.map((s) => [s.usubjid, s.firstDoseDtc]));
  const teaes: AeFacts[] = loadAes(ctx.db, snapshotId, definition.ae.gradeVariable).filter((a) => firstDose.has(a.usubjid) && isTreatmentEmergent(a, firstDose.get(a.usubjid) ?? null));
  const { groups, groupOf } = levelGroups(subjects, definition);
  return { cutoff, groups, teaes, treated: subjects.map((s) => ({ usubjid: s.usubjid, group: groupOf.get(s.usubjid)! })) };
}

/** Each distinct value (trimmed, "(empty)" for none) with how it was read and its number of events. */
function valueReadings<R extends string>(values: readonly (string | null)[], read: (v: string | null) => R): { value: string; reading: R; events: number }[] {
  return countValues(values.map((v) => v?.trim() || '(empty)')).map((c) => ({ value: c.value, reading: read(c.value === '(empty)' ? null : c.value), events: c.count }));
}

/** AEACN values with their reading; AEACN MULTIPLE resolved by SUPPAE shows each per-treatment value ("MULTIPLE: SUPPAE DOSE REDUCED"). */
function acnReadings(teaes: readonly AeFacts[], supp: ReadonlyMap<string, readonly string[]>) {
  const values: string[] = [];
  for (const a of teaes) {
    const s = aeAction(a.aeacn) === 'multiple' ? supp.get(aeKey(a)) : undefined;
    if (s?.length) values.push(...s.map((v) => `MULTIPLE: SUPPAE ${v.trim()}`));
    else values.push(a.aeacn?.trim() || '(empty)');
  }
  return valueReadings(values, (v) => aeAction(v?.startsWith('MULTIPLE: SUPPAE ') ? v.slice('MULTIPLE: SUPPAE '.length) : v));
}
