import { doseLevelOf } from '../../../shared/dlt';
import type { SubjectFacts } from '../../../shared/model';
import type { StudyDefinition } from '../../../shared/study';

// The denominators and dose-level groups of the safety tables (AE incidence, ADA, laboratory shift).

/** Subjects dosed on or before the cut-off (all dosed subjects when the cut-off is unknown): the denominators. */
export function treatedSubjects(subjects: readonly SubjectFacts[], cutoff: string | null): SubjectFacts[] {
  return subjects.filter((s) => s.firstDoseDtc && (!cutoff || s.firstDoseDtc.slice(0, 10) <= cutoff));
}

export function levelGroups(treated: SubjectFacts[], def: StudyDefinition): { groups: { key: string; label: string }[]; groupOf: Map<string, string> } {
  const groupOf = new Map<string, string>();
  const used = new Set<string>();
  for (const s of treated) {
    const l = doseLevelOf(s.firstDose, def.doseLevels);
    const key = s.placebo ? 'placebo' : l ? `L${l.level}` : 'unplanned';
    groupOf.set(s.usubjid, key);
    used.add(key);
  }
  const groups: { key: string; label: string }[] = used.has('placebo') ? [{ key: 'placebo', label: 'Placebo' }] : [];
  groups.push(...[...def.doseLevels]
    .sort((a, b) => a.level - b.level)
    .filter((l) => used.has(`L${l.level}`))
    .map((l) => ({ key: `L${l.level}`, label: `Level ${l.level}: ${l.label ?? `${l.dose} ${def.doseUnit}`}` })));
  if (used.has('unplanned')) groups.push({ key: 'unplanned', label: 'First dose not in the dose plan' });
  return { groups, groupOf };
}
