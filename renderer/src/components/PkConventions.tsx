import { useState, type FormEvent } from 'react';
import type { Output, StudyInfo } from '../../../shared/contract';
import { invoke } from '../api';
import { count, plural } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import { sig, type PkHead } from './PkFigures';
import { EmptyState, ErrorState, LoadingState } from './States';
import { TableCsvButton } from './TableCsvButton';

// What decided the PK numbers beyond the data (issue 10): the analyte × matrix shown and what else
// the snapshot holds, the AUCall convention, where τ came from (or that it is unknown — then the
// study definition is asked for it), which subjects' actual times fell back to nominal time; and the
// urinary excretion table (pk.urine: Ae per collection and cumulative, fe, CLR).

/** A PCSPEC key as a person reads it. */
export function matrixName(m: string): string {
  return m === '' ? 'specimen not given' : m.charAt(0) + m.slice(1).toLowerCase();
}

/** "Also in this snapshot: XAN in urine (4 samples), M1 in plasma (1 sample)". */
export function AlsoInSnapshot({ profiles }: { profiles: PkHead }) {
  const others = profiles.available.filter((a) => !(a.analyte === profiles.analyte && a.matrix === profiles.matrix));
  const shown = profiles.available.find((a) => a.analyte === profiles.analyte && a.matrix === profiles.matrix);
  return (
    <p className="muted" data-testid="pk-also">
      Showing <strong>{profiles.analyte}</strong> in <strong>{matrixName(profiles.matrix ?? '')}</strong>
      {shown ? ` (${plural(shown.samples, 'sample')})` : ''}.{' '}
      {others.length === 0
        ? 'The snapshot holds no other analyte or matrix.'
        : `Also in this snapshot: ${others.map((a) => `${a.analyte} in ${matrixName(a.matrix)} (${plural(a.samples, 'sample')})`).join(', ')} — choose them above.`}
    </p>
  );
}

/** The notes under the NCA heading: AUCall, τ, time basis. */
export function PkConventions({ profiles, interval, study, onSaved }: { profiles: PkHead; interval: 'single' | 'steady'; study: StudyInfo | null; onSaved(): void }) {
  const fb = profiles.timeFallback;
  const fbSamples = fb.reduce((a, f) => a + f.samples, 0);
  return (
    <div className="help-box pk-conventions" data-testid="pk-conventions">
      <ul>
        <li data-testid="pk-note-aucall">
          AUCall as Phoenix WinNonlin and PKNCA define it: AUClast plus the area from Tlast down to the first BLQ sample after Tlast, that sample taken as 0. AUC0-t
          (AUClast) ends at the last measurable concentration.
        </li>
        <li data-testid="pk-note-tau" data-tau-source={profiles.tauSource ?? 'unknown'}>
          {profiles.tauSource === null ? (
            <>
              <strong>Dosing interval τ unknown</strong>: {profiles.tauNote.replace(/^τ unknown: /, '')}.{' '}
              {interval === 'steady' ? 'The steady-state table is therefore empty.' : 'Steady-state parameters are not computed.'}
            </>
          ) : (
            profiles.tauNote
          )}
          {profiles.tauSource === null && <TauForm study={study} onSaved={onSaved} />}
        </li>
        {profiles.timeBasis === 'actual' && (
          <li data-testid="pk-note-time">
            {fb.length === 0 ? (
              'Actual time: every sample has an actual time since its dose.'
            ) : (
              <>
                <strong>Actual time falls back to nominal time</strong> for {plural(fbSamples, 'sample')} of {plural(fb.length, 'subject')}:{' '}
                {fb
                  .slice(0, 8)
                  .map((f) => `${f.usubjid} (${plural(f.samples, 'sample')}: ${f.reasons.join('; ')})`)
                  .join(', ')}
                {fb.length > 8 ? `, and ${count(fb.length - 8)} more` : ''}.
              </>
            )}
          </li>
        )}
      </ul>
    </div>
  );
}

/** Asks for τ and stores it in the study definition (study.saveDefinition), when the definition is not a study.json. */
function TauForm({ study, onSaved }: { study: StudyInfo | null; onSaved(): void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!study) return null;
  if (study.definitionSource === 'study.json')
    return (
      <span>
        {' '}
        Give it as <span className="mono">pk.tauH</span> (hours) in the snapshot's <span className="mono">study.json</span>.
      </span>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const tau = Number(value);
    if (!(tau > 0) || !Number.isFinite(tau)) return setProblem('Enter the dosing interval in hours (for example 504 for 21 days).');
    setBusy(true);
    setProblem(null);
    try {
      await invoke('study.saveDefinition', { studyId: study.studyId, definition: { ...study.definition, pk: { ...study.definition.pk, tauH: tau } } });
      onSaved();
    } catch (err) {
      setProblem(`Not saved: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="pk-tau-form">
      <label>
        <span>Dosing interval τ (h) from the protocol</span>{' '}
        <input className="input input-narrow" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} aria-label="Dosing interval tau in hours" />
      </label>{' '}
      <button type="submit" className="btn btn-small" disabled={busy}>
        Save τ in the study definition
      </button>
      {problem && (
        <span className="form-problem" role="alert">
          {' '}
          {problem}
        </span>
      )}
    </form>
  );
}

type Urine = Output<'pk.urine'>;

const pct = (x: number | null) => (x === null ? '—' : `${sig(100 * x)}`);
const h = (x: number | null) => (x === null ? '?' : sig(x));

/** Urinary excretion per subject and dose (pk.urine). */
export function UrineSection({ snapshotId, analyte, matrix, timeBasis, dataVersion }: { snapshotId: number; analyte?: string; matrix?: string; timeBasis: 'actual' | 'nominal'; dataVersion: number }) {
  const review = useReview();
  const [state, retry] = useCall<Urine>(() => invoke('pk.urine', { snapshotId, ...(analyte ? { analyte } : {}), ...(matrix !== undefined ? { matrix } : {}), timeBasis }), [snapshotId, analyte, matrix, timeBasis, dataVersion]);
  if (state.status === 'error') return <ErrorState title="The urinary excretion could not be computed" error={state.error} onRetry={retry} />;
  if (state.status !== 'ok') return <LoadingState what="the urinary excretion" />;
  const u = state.data;
  if (u.rows.length === 0)
    return (
      <EmptyState title="No urine parameter">
        <p>{u.reason ?? 'No urine collection could be placed after a dose.'}</p>
      </EmptyState>
    );
  const rows = u.rows.filter((r) => review.inFilter({ usubjid: r.usubjid, level: r.doseLevel, part: r.part }));
  return (
    <>
      {u.reason && (
        <p className="note-box" data-testid="pk-urine-reason">
          {u.reason}
        </p>
      )}
      <div className="table-tools">
        <TableCsvButton tableTestId="pk-urine" title="Urinary excretion" fileStem="pk-urine" />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Urinary excretion">
        <table className="data-table compact-table pk-urine-table" data-testid="pk-urine">
          <caption>
            {u.analyte} in {matrixName(u.matrix ?? '')}: amount excreted per collection (concentration × volume), cumulative Ae, fe = Ae/dose and CLR = Ae(0–t)/AUC(0–t) of{' '}
            {u.plasmaMatrix ? matrixName(u.plasmaMatrix).toLowerCase() : 'plasma'} ({timeBasis} time)
          </caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Dose level</th>
              <th scope="col" className="num">
                Cycle
              </th>
              <th scope="col" className="num">
                Dose (mg)
              </th>
              <th scope="col">Collections: interval (h) amount (mg) → cumulative</th>
              <th scope="col" className="num">
                Ae(0–t) (mg)
              </th>
              <th scope="col" className="num">
                t (h)
              </th>
              <th scope="col" className="num">
                fe (%)
              </th>
              <th scope="col" className="num">
                AUC(0–t) ({u.units.auc || '—'})
              </th>
              <th scope="col" className="num">
                CLR ({u.units.clr})
              </th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.usubjid}|${r.cycle}`} data-testid="pk-urine-row" data-usubjid={r.usubjid}>
                <th scope="row">
                  <button type="button" className="subject-link" onClick={() => review.openSubject(r.usubjid)}>
                    {r.usubjid}
                  </button>
                </th>
                <td>{review.doseLabel(r.doseLevel)}</td>
                <td className="num">{r.cycle}</td>
                <td className="num">{sig(r.doseMg)}</td>
                <td>
                  {r.intervals
                    .map((i) => `${h(i.startH)}–${h(i.endH)}: ${i.amountMg === null ? '?' : sig(i.amountMg)}${i.blq ? ' (BLQ)' : ''}${i.cumulativeMg !== null ? ` → ${sig(i.cumulativeMg)}` : ''}`)
                    .join('; ')}
                </td>
                <td className="num" data-col="ae">
                  {r.aeMg === null ? '—' : sig(r.aeMg)}
                </td>
                <td className="num">{r.aeEndH === null ? '—' : sig(r.aeEndH)}</td>
                <td className="num" data-col="fe">
                  {pct(r.fe)}
                </td>
                <td className="num">{r.aucPlasma === null ? '—' : sig(r.aucPlasma)}</td>
                <td className="num" data-col="clr">
                  {r.clrLPerH === null ? '—' : sig(r.clrLPerH)}
                </td>
                <td className="pk-urine-notes">{[...new Set([...r.notes, ...r.intervals.map((i) => i.note).filter((n): n is string => !!n)])].join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {u.notes.length > 0 && <p className="muted">{u.notes.join(' · ')}</p>}
    </>
  );
}
