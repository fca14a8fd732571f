import { useEffect, useMemo, useState } from 'react';
import type { LambdaZChoice } from '../../../shared/api/pk';
import { invoke } from '../api';
import { errorText, SignInCancelled, useAuth } from '../auth';
import { useReview } from '../review';
import { Plot } from './Plot';
import { LZ_PREFIX, lambdaZFigure, sig, type NcaRow, type PkProfile } from './PkFigures';
import { choiceText } from './PkTables';

// One subject's terminal phase (docs/CLINICAL_RULES.md#nca "λz selection": a reviewer may exclude points from the
// λz fit or choose its range; that choice is stored, audited and shown). The curve on a log scale
// with the points of the lambda_z regression highlighted; a click on a point excludes it (or
// includes it again); two number inputs set a range; "Reset to automatic" returns to the rule's
// own choice. Every change is stored at once through pk.setLambdaZ (who and when come from the
// core's session), and the returned row replaces the table's row.

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
/** Range inputs prefilled from the fit: rounded outwards to 4 decimals, so that re-applying them keeps the same samples. */
const floor4 = (v: number) => String(Math.floor(v * 1e4) / 1e4);
const ceil4 = (v: number) => String(Math.ceil(v * 1e4) / 1e4);

export interface LambdaZPanelProps {
  snapshotId: number;
  profile: PkProfile;
  row: NcaRow | null;
  interval: 'single' | 'steady';
  timeBasis: 'actual' | 'nominal';
  /** PCSPEC of the profile (the core's default when undefined). */
  matrix?: string;
  concUnit: string;
  onRow(row: NcaRow): void;
  onClose(): void;
}

export function LambdaZPanel({ snapshotId, profile, row, interval, timeBasis, matrix, concUnit, onRow, onClose }: LambdaZPanelProps) {
  const review = useReview();
  const lz = row?.lambdaZ ?? null;
  const [start, setStart] = useState<string>(lz ? floor4(lz.lower) : '');
  const [end, setEnd] = useState<string>(lz ? ceil4(lz.upper) : '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const auth = useAuth();

  // The range inputs follow the fit in force (after a change or another subject).
  const lower = lz?.lower;
  const upper = lz?.upper;
  useEffect(() => {
    setStart(lower !== undefined ? floor4(lower) : '');
    setEnd(upper !== undefined ? ceil4(upper) : '');
  }, [profile.usubjid, lower, upper]);

  const fig = useMemo(() => lambdaZFigure(profile, row, concUnit), [profile, row, concUnit]);

  const store = async (choice: LambdaZChoice) => {
    setBusy(true);
    setError(null);
    try {
      const r = await auth.withWriteSession(
        (session) =>
          invoke('pk.setLambdaZ', { snapshotId, usubjid: profile.usubjid, analyte: profile.analyte, ...(matrix !== undefined ? { matrix } : {}), interval, timeBasis, choice, ...(session ? { session } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) }),
        'A λz choice is stored under your name: sign in first.',
      );
      onRow(r);
    } catch (e) {
      if (!(e instanceof SignInCancelled)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  /** A click on a sample toggles its exclusion (the other exclusions in force are kept; none left = automatic). */
  const togglePoint = (token: string) => {
    if (busy || !token.startsWith(LZ_PREFIX)) return;
    const t = Number(token.slice(LZ_PREFIX.length));
    if (!Number.isFinite(t)) return;
    const current = lz?.excludedTimes ?? [];
    const next = current.some((x) => near(x, t)) ? current.filter((x) => !near(x, t)) : [...current, t].sort((a, b) => a - b);
    void store(next.length ? { kind: 'exclude', times: next } : { kind: 'auto' });
  };

  const applyRange = () => {
    const s = Number(start);
    const e = Number(end);
    if (start.trim() === '' || end.trim() === '' || !Number.isFinite(s) || !Number.isFinite(e)) return setError('Enter the first and last time of the range, in hours.');
    if (e <= s) return setError('The end of the range must be after its start.');
    void store({ kind: 'range', start: s, end: e });
  };

  const status = row ? choiceText(row) : 'no NCA row for this subject';
  return (
    <section className="pk-lz-panel" data-testid="pk-lz-panel" data-usubjid={profile.usubjid} aria-label={`Terminal phase of ${profile.usubjid}`}>
      <div className="pk-lz-head">
        <h3>
          λz of {profile.usubjid} <span className="muted">· {review.doseLabel(profile.doseLevel)}</span>
        </h3>
        <div className="pk-lz-actions">
          <button type="button" className="btn btn-small" onClick={() => review.openSubject(profile.usubjid)}>
            Open profile
          </button>
          <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close the λz panel">
            Close
          </button>
        </div>
      </div>
      <Plot
        title={`${profile.usubjid}: concentration–time (log scale) and λz fit`}
        footnote={review.footnote(`${profile.usubjid} · ${interval === 'steady' ? 'steady state' : 'single dose'} · ${timeBasis} time`)}
        data={fig.data}
        layout={fig.layout}
        height={400}
        testId="pk-lambdaz"
        exportName={`pk-lambdaz-${profile.usubjid}`}
        onSubjectClick={togglePoint}
        description={`Concentration of ${profile.usubjid} against time on a log scale; ${fig.fitPoints} points used for lambda z are highlighted.`}
        legendNote="Click a sample to exclude it from the λz regression (click again to include it); or set the range below. Each change is stored with your name and the time."
      />
      <p className="pk-lz-status" data-testid="pk-lz-status" role="status">
        <strong>λz:</strong> {status}
        {lz && (
          <>
            {' '}
            · t½ {sig(row?.parameters.find((p) => p.PPTESTCD === 'LAMZHL')?.value)} h · adj. R² {sig(lz.adjR2, 4)}
          </>
        )}
        {!lz && row?.lambdaZNote ? ` — ${row.lambdaZNote}` : ''}
      </p>
      <div className="pk-lz-controls">
        <label className="field-inline">
          <span>Range from (h)</span>
          <input className="input input-num" type="number" step="any" value={start} onChange={(e) => setStart(e.target.value)} data-testid="pk-lz-start" />
        </label>
        <label className="field-inline">
          <span>to (h)</span>
          <input className="input input-num" type="number" step="any" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="pk-lz-end" />
        </label>
        <button type="button" className="btn btn-small" onClick={applyRange} disabled={busy} data-testid="pk-lz-apply">
          Apply range
        </button>
        <label className="field-inline pk-lz-reason">
          <span>Reason (optional)</span>
          <input className="input" type="text" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} data-testid="pk-lz-reason" />
        </label>
        <button type="button" className="btn btn-small" onClick={() => void store({ kind: 'auto' })} disabled={busy || !row?.choice || row.choice.choice.kind === 'auto'} data-testid="pk-lz-reset">
          Reset to automatic
        </button>
        {busy && <span className="muted">Saving…</span>}
      </div>
      {error && (
        <p className="form-problem" role="alert" data-testid="pk-lz-error">
          The λz choice was not stored: {error}
        </p>
      )}
    </section>
  );
}
