import { useState, type FormEvent } from 'react';
import type { StudyInfo } from '../../../shared/contract';
import type { StudyDefinition } from '../../../shared/study';
import type { MappingEntry } from '../../../shared/mapping';
import { invoke } from '../api';
import { errorText, SignInCancelled, useAuth } from '../auth';
import './MappingBanner.css';

// "Confirm study definition": what study.json would have said, asked of the user when it is missing
// (README.md#studyjson). Pre-filled with what the import derived (dose levels from EX); saved with the study.

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

/** The values a snapshot holds for a variable, most frequent first, gathered from every entry of its mapping report. */
export function valuesOf(report: readonly MappingEntry[] | undefined, variable: string): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of report ?? []) for (const u of e.unused) if (u.variable === variable) for (const v of u.values) counts.set(v.value, Math.max(counts.get(v.value) ?? 0, v.count));
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** Candidate AE grade variables: AETOXGR and the AE variables DoseDesk keeps without reading (the report lists them by name). */
function gradeCandidates(report: readonly MappingEntry[] | undefined): { value: string; count: number }[] {
  const ae = (report ?? []).filter((e) => e.domain === 'AE' || e.domain === 'SUPPAE');
  const names = ae.flatMap((e) => e.unused.filter((u) => u.variable === null || u.variable === 'QNAM').flatMap((u) => u.values));
  return names.filter((v) => /GR|GRADE|TOX|CTC/i.test(v.value));
}

const list = (text: string): string[] => [...new Set(text.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean))];

export function StudyDefinitionForm({
  study,
  needs,
  onSaved,
  mapping,
  intro = 'import',
}: {
  study: StudyInfo;
  needs: string[];
  onSaved(s: StudyInfo): void;
  /** The current snapshot's mapping report: its values are offered in the "Data mapping" section. */
  mapping?: readonly MappingEntry[];
  /** 'import': asked after an import without study.json; 'edit': opened from the Provenance page. */
  intro?: 'import' | 'edit';
}) {
  const def = study.definition;
  const auth = useAuth();
  const [analyte, setAnalyte] = useState(def.pk.analyte ?? '');
  const [matrix, setMatrix] = useState(def.pk.matrix ?? '');
  const [tauH, setTauH] = useState(def.pk.tauH === undefined ? '' : String(def.pk.tauH));
  const [binding, setBinding] = useState((def.ada.bindingTestcds ?? []).join(', '));
  const [neutralising, setNeutralising] = useState((def.ada.neutralisingTestcds ?? []).join(', '));
  const [titre, setTitre] = useState((def.ada.titreTestcds ?? []).join(', '));
  const [titreScale, setTitreScale] = useState<'' | 'linear' | 'log10'>(def.ada.titreScale ?? '');
  const [gradeVariable, setGradeVariable] = useState(def.ae.gradeVariable ?? '');
  const [levels, setLevels] = useState<LevelDraft[]>(() => def.doseLevels.map((l, i) => ({ key: i, dose: String(l.dose) })));
  const [doseUnit, setDoseUnit] = useState(def.doseUnit);
  const [windowDays, setWindowDays] = useState(String(def.dltWindowDays));
  const [cutoff, setCutoff] = useState(def.dataCutoff ?? '');
  const [design, setDesign] = useState(def.escalation.design);
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
    const tau = tauH.trim() === '' ? undefined : Number(tauH);
    if (tau !== undefined && !(Number.isFinite(tau) && tau > 0)) return setProblem('Dosing interval (tau): enter a positive number of hours, or leave it empty.');
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
        // Data mapping: an empty field is unset (DoseDesk's own conventions apply).
        pk: { ...def.pk, analyte: analyte.trim() || undefined, matrix: matrix.trim() || undefined, tauH: tau },
        ada: {
          ...def.ada,
          bindingTestcds: list(binding).length ? list(binding) : undefined,
          neutralisingTestcds: list(neutralising).length ? list(neutralising) : undefined,
          titreTestcds: list(titre).length ? list(titre) : undefined,
          titreScale: titreScale || undefined,
        },
        ae: { ...def.ae, gradeVariable: gradeVariable.trim() || undefined },
      };
      if (tau === undefined) delete definition.pk.tauH;
      if (!cutoff) delete (definition as Partial<StudyDefinition>).dataCutoff;
      const s = await auth.withWriteSession(
        (session) => invoke('study.saveDefinition', { studyId: study.studyId, definition: JSON.parse(JSON.stringify(definition)) as StudyDefinition, ...(session ? { session } : {}) }),
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
      <h3 id="def-title">{intro === 'import' ? 'Confirm study definition' : 'Study definition and data mapping'}</h3>
      <p className="muted">
        {intro === 'import' ? (
          <>
            This snapshot has no <span className="mono">study.json</span>. DoseDesk derived what it could; check and complete it.
          </>
        ) : (
          <>What SDTM does not say, and how this sponsor&apos;s codes are read. Saving is recorded in the audit trail (old and new value).</>
        )}{' '}
        It is stored with study <span className="mono">{study.studyId}</span> and used for every snapshot of it.
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
      <fieldset className="mapping-fieldset" data-testid="data-mapping">
        <legend>Data mapping</legend>
        <p className="muted small">
          How this sponsor&apos;s data are read. Click a value found in the snapshot to use it; leave a field empty for DoseDesk&apos;s own conventions.
        </p>
        <div className="form-grid">
          <MappingField label="PK analyte (PCTESTCD)" value={analyte} onChange={setAnalyte} options={valuesOf(mapping, 'PCTESTCD')} single />
          <MappingField label="PK matrix (PCSPEC)" value={matrix} onChange={setMatrix} options={valuesOf(mapping, 'PCSPEC')} single />
          <label>
            <span>PK dosing interval τ (h; empty = unknown)</span>
            <input className="input" inputMode="decimal" placeholder="e.g. 504" value={tauH} onChange={(e) => setTauH(e.target.value)} data-testid="definition-tau" />
          </label>
          <MappingField label="ADA binding test codes (ISTESTCD)" value={binding} onChange={setBinding} options={valuesOf(mapping, 'ISTESTCD')} />
          <MappingField label="ADA neutralising test codes (ISTESTCD)" value={neutralising} onChange={setNeutralising} options={valuesOf(mapping, 'ISTESTCD')} />
          <MappingField label="ADA titre test codes (ISTESTCD)" value={titre} onChange={setTitre} options={valuesOf(mapping, 'ISTESTCD')} />
          <label>
            <span>Titre scale</span>
            <select className="input" value={titreScale} onChange={(e) => setTitreScale(e.target.value as typeof titreScale)}>
              <option value="">from ISSTRESU / ISORRESU</option>
              <option value="linear">linear (1:N dilutions)</option>
              <option value="log10">log10</option>
            </select>
          </label>
          <MappingField label="AE grade variable" value={gradeVariable} onChange={setGradeVariable} options={[{ value: 'AETOXGR', count: 0 }, ...gradeCandidates(mapping)]} single />
        </div>
      </fieldset>
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

/** A text field with the snapshot's values as buttons: a click sets it (single) or adds the value to the list. */
function MappingField({ label, value, onChange, options, single = false }: { label: string; value: string; onChange(v: string): void; options: { value: string; count: number }[]; single?: boolean }) {
  const chosen = new Set(list(value));
  return (
    <div className="mapping-field">
      <label>
        <span>{label}</span>
        <input className="input mono" value={value} onChange={(e) => onChange(e.target.value)} placeholder={single ? '' : 'codes, comma-separated'} />
      </label>
      {options.length > 0 && (
        <div className="mapping-options" role="group" aria-label={`Values in this snapshot for ${label}`}>
          {options.slice(0, 12).map((o) => (
            <button
              key={o.value}
              type="button"
              className={`btn btn-small btn-quiet${chosen.has(o.value) ? ' is-chosen' : ''}`}
              aria-pressed={chosen.has(o.value)}
              onClick={() => onChange(single ? o.value : [...list(value).filter((x) => x !== o.value), ...(chosen.has(o.value) ? [] : [o.value])].join(', '))}
            >
              {o.value}
              {o.count > 0 && <span className="muted"> ({o.count})</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
