import { useState, type FormEvent } from 'react';
import type { StudyInfo } from '../../../shared/contract';
import type { StudyDefinition } from '../../../shared/study';
import { invoke } from '../api';
import { errorText, SignInCancelled, useAuth } from '../auth';

// "Confirm study definition": what study.json would have said, asked of the user when it is missing
// (DESIGN §3). Pre-filled with what the import derived (dose levels from EX); saved with the study.

const DESIGNS: { value: StudyDefinition['escalation']['design']; label: string }[] = [
  { value: 'atd', label: 'Accelerated titration, then 3+3' },
  { value: '3+3', label: '3+3' },
  { value: 'boin', label: 'BOIN' },
  { value: 'mtpi2', label: 'mTPI-2' },
];

/** What the import could not take from study.json, in words. */
const NEEDS: Record<string, string> = {
  doseLevels: 'Dose levels — derived from the first doses in EX; check them against the protocol.',
  dataCutoff: 'Data cut-off — not given; the latest date in the data is used until you enter it.',
  dltWindowDays: 'DLT window — not given; the default of 21 days is used.',
  escalation: 'Escalation design — not given; 3+3 is assumed.',
  'pk.tauH': 'PK dosing interval τ — not given; no steady-state PK parameter is computed unless EX shows one consistent spacing of repeated doses.',
};

interface LevelDraft {
  key: number;
  dose: string;
}

export function StudyDefinitionForm({ study, needs, onSaved }: { study: StudyInfo; needs: string[]; onSaved(s: StudyInfo): void }) {
  const def = study.definition;
  const auth = useAuth();
  const [levels, setLevels] = useState<LevelDraft[]>(() => def.doseLevels.map((l, i) => ({ key: i, dose: String(l.dose) })));
  const [doseUnit, setDoseUnit] = useState(def.doseUnit);
  const [windowDays, setWindowDays] = useState(String(def.dltWindowDays));
  const [cutoff, setCutoff] = useState(def.dataCutoff ?? '');
  const [design, setDesign] = useState(def.escalation.design);
  const [tau, setTau] = useState(def.pk.tauH !== undefined ? String(def.pk.tauH) : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const doses = levels.map((l) => Number(l.dose));
    const bad = doses.findIndex((d) => !Number.isFinite(d) || d <= 0);
    if (levels.length === 0) return setProblem('Add at least one dose level.');
    if (bad >= 0) return setProblem(`Dose level ${bad + 1}: enter a positive number.`);
    if (doses.some((d, i) => i > 0 && d <= doses[i - 1]!)) return setProblem('Dose levels must increase from one level to the next.');
    const w = Number(windowDays);
    if (!Number.isInteger(w) || w <= 0) return setProblem('DLT window: enter a whole number of days.');
    if (cutoff && !/^\d{4}-\d{2}-\d{2}$/.test(cutoff)) return setProblem('Data cut-off: use a date (YYYY-MM-DD).');
    const tauH = tau.trim() === '' ? undefined : Number(tau);
    if (tauH !== undefined && !(tauH > 0)) return setProblem('PK dosing interval τ: enter a positive number of hours, or leave it empty when unknown.');
    setProblem(null);
    setSaving(true);
    try {
      const definition: StudyDefinition = {
        ...def,
        doseUnit: doseUnit.trim() || 'mg/kg',
        doseLevels: doses.map((d, i) => ({ level: i + 1, dose: d })),
        dltWindowDays: w,
        ...(cutoff ? { dataCutoff: cutoff } : {}),
        escalation: { ...def.escalation, design },
        pk: { ...def.pk, ...(tauH !== undefined ? { tauH } : {}) },
      };
      if (tauH === undefined) delete definition.pk.tauH;
      if (!cutoff) delete (definition as Partial<StudyDefinition>).dataCutoff;
      const s = await auth.withWriteSession(
        (session) => invoke('study.saveDefinition', { studyId: study.studyId, definition, ...(session ? { session } : {}) }),
        'The study definition is saved under your name: sign in first.',
      );
      setSaved(true);
      onSaved(s);
    } catch (err) {
      setProblem(err instanceof SignInCancelled ? 'Not saved: signing in was cancelled.' : `Not saved: ${errorText(err)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="definition-form card" onSubmit={submit} aria-labelledby="def-title" data-testid="definition-form">
      <h3 id="def-title">Confirm study definition</h3>
      <p className="muted">
        This snapshot has no <span className="mono">study.json</span>. DoseDesk derived what it could; check and complete it. It is stored with study{' '}
        <span className="mono">{study.studyId}</span> and used for every snapshot of it.
      </p>
      {needs.length > 0 && (
        <ul className="needs-list">
          {needs.map((n) => (
            <li key={n}>{NEEDS[n] ?? n}</li>
          ))}
        </ul>
      )}
      <div className="definition-layout">
      <fieldset>
        <legend>Dose levels</legend>
        <table className="data-table levels-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Level
              </th>
              <th scope="col">Dose</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l, i) => (
              <tr key={l.key}>
                <td className="num">DL{i + 1}</td>
                <td>
                  <input
                    className="input input-narrow"
                    inputMode="decimal"
                    aria-label={`Dose of level ${i + 1}`}
                    value={l.dose}
                    onChange={(e) => setLevels(levels.map((x) => (x.key === l.key ? { ...x, dose: e.target.value } : x)))}
                  />{' '}
                  <span className="muted">{doseUnit}</span>
                </td>
                <td>
                  <button type="button" className="btn btn-small btn-quiet" onClick={() => setLevels(levels.filter((x) => x.key !== l.key))} aria-label={`Remove level ${i + 1}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn btn-small" onClick={() => setLevels([...levels, { key: Date.now(), dose: '' }])}>
          Add dose level
        </button>
      </fieldset>
      <div className="form-grid">
        <label>
          <span>Dose unit</span>
          <input className="input" value={doseUnit} onChange={(e) => setDoseUnit(e.target.value)} />
        </label>
        <label>
          <span>DLT window (days)</span>
          <input className="input" inputMode="numeric" value={windowDays} onChange={(e) => setWindowDays(e.target.value)} />
        </label>
        <label>
          <span>Data cut-off (YYYY-MM-DD)</span>
          <input className="input mono-nums" placeholder="YYYY-MM-DD" inputMode="numeric" maxLength={10} value={cutoff} onChange={(e) => setCutoff(e.target.value)} />
        </label>
        <label>
          <span>PK dosing interval τ (h; empty = unknown)</span>
          <input className="input" inputMode="decimal" placeholder="e.g. 504" value={tau} onChange={(e) => setTau(e.target.value)} data-testid="definition-tau" />
        </label>
        <label>
          <span>Escalation design</span>
          <select className="input" value={design} onChange={(e) => setDesign(e.target.value as typeof design)}>
            {DESIGNS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      </div>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save study definition'}
        </button>
        {saved && (
          <span className="saved" role="status">
            Saved — the views now use this definition.
          </span>
        )}
      </div>
    </form>
  );
}
