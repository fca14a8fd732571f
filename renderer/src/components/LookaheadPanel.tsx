import { useState } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { useCall } from '../useCall';
import { actionText } from './CohortDlt';
import { ErrorState, LoadingState } from './States';
import './LookaheadPanel.css';

// The Cohorts view's look-ahead panel (safety.lookahead): what the protocol rule — and BOIN and
// mTPI-2 beside it — would decide if the next 1..K evaluable patients had 0, 1, 2, … DLTs. A compact
// table (one row per outcome path, depth first) and the dose paths (next cohort → level → decision).
// Every decision comes from the core's rule engine; nothing is decided here.

type Lookahead = Output<'safety.lookahead'>;
type Path = Lookahead['paths'][number];
type Decision = Path['protocol'];

const DESIGN_LABEL: Record<Decision['design'], string> = { '3+3': '3+3', atd: 'Accelerated titration', boin: 'BOIN', mtpi2: 'mTPI-2' };

function decisionText(d: Decision): string {
  if (d.error) return `Rule not applicable: ${d.error}`;
  const level = d.nextLevel !== null ? ` → DL${d.nextLevel}` : d.recommendedLevel !== null ? ` (DL${d.recommendedLevel})` : '';
  const when = d.determined && d.whenComplete ? `; whatever the rest: ${actionText(d.whenComplete.action)}${d.whenComplete.nextLevel !== null ? ` → DL${d.whenComplete.nextLevel}` : ''}` : '';
  return `${actionText(d.action)}${level}${when}`;
}

function DecisionCell({ d, testId }: { d: Decision; testId: string }) {
  const tone = d.action?.startsWith('STOP') || d.action?.startsWith('DEESCALATE') ? 'la-down' : d.action?.startsWith('ESCALATE') ? 'la-up' : d.action === 'CONTINUE_COHORT' ? 'la-wait' : '';
  return (
    <td className={tone} data-testid={testId} data-action={d.action ?? ''} title={d.explanation}>
      {decisionText(d)}
    </td>
  );
}

/** One step in words: "DL2: 1 of 3 with DLT" (or "1 of the next 2 of 3" while the cohort is incomplete). */
function stepText(s: Path['steps'][number]): string {
  const who = s.patients < s.size ? `${s.patients} of ${s.size}` : `${s.patients}`;
  return `DL${s.level}: ${s.dlts} DLT${s.dlts === 1 ? '' : 's'} in ${who}${s.kind === 'pending' ? ' (pending first)' : ''}`;
}

const key = (steps: Path['steps']) => steps.map((s) => `${s.level}:${s.patients}:${s.dlts}`).join('|');

export function LookaheadPanel({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: number }) {
  const [k, setK] = useState(3);
  const [state, retry] = useCall<Lookahead>(() => invoke('safety.lookahead', { snapshotId, patients: k }), [snapshotId, dataVersion, k]);
  return (
    <section className="lookahead-panel" aria-labelledby="lookahead-title" data-testid="lookahead-panel">
      <div className="table-tools">
        <h2 className="section-title table-tools-title" id="lookahead-title">
          Look-ahead: if the next patients have 0, 1, 2, … DLTs
        </h2>
        <label className="lookahead-k">
          Next evaluable patients{' '}
          <select className="input" value={k} onChange={(e) => setK(Number(e.target.value))} data-testid="lookahead-k">
            {[1, 2, 3, 4, 5, 6].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the look-ahead table" />
      ) : state.status === 'error' ? (
        <ErrorState title="The look-ahead table could not be computed" error={state.error} onRetry={retry} />
      ) : (
        <LookaheadBody la={state.data} />
      )}
    </section>
  );
}

function LookaheadBody({ la }: { la: Lookahead }) {
  const byKey = new Map(la.paths.map((p) => [key(p.steps), p]));
  // Dose paths: cohorts completed one after the other, up to the last completed cohort within K patients.
  const complete = (p: Path) => p.steps.every((s) => s.patients === s.size);
  const leaves = la.paths.filter(
    (p) => complete(p) && !la.paths.some((q) => complete(q) && q.steps.length === p.steps.length + 1 && key(q.steps.slice(0, -1)) === key(p.steps)),
  );
  const protocolName = DESIGN_LABEL[la.design];
  return (
    <>
      <p className="muted lookahead-intro">
        From the history <code data-testid="lookahead-history">{la.current.history || '—'}</code>: each row adds hypothetical evaluable patients where the{' '}
        <b>protocol rule ({protocolName})</b> sends them (patients still in their DLT window first) and shows what each rule decides on that
        history — the same rule code as the recommendation above. BOIN and mTPI-2 (target {Math.round(la.targetToxicity * 100)}%) read the same patients, for context.
      </p>
      {la.note && <p className="rule-warnings" data-testid="lookahead-note">{la.note}</p>}
      {la.paths.length > 0 && (
        <div className="table-wrap lookahead-wrap" tabIndex={0} role="region" aria-label="Look-ahead decision table">
          <table className="data-table lookahead-table" data-testid="lookahead-table">
            <thead>
              <tr>
                <th scope="col">Next patients (outcome)</th>
                <th scope="col" className="num">Patients</th>
                <th scope="col" className="num">DLTs</th>
                <th scope="col">Protocol rule ({protocolName})</th>
                <th scope="col">BOIN</th>
                <th scope="col">mTPI-2</th>
              </tr>
            </thead>
            <tbody>
              {la.paths.map((p) => {
                const last = p.steps[p.steps.length - 1]!;
                return (
                  <tr key={key(p.steps)} data-testid="lookahead-row" data-history={p.history} className={last.patients < last.size ? 'la-partial' : ''}>
                    <th scope="row" style={{ paddingLeft: `${14 + 18 * (p.steps.length - 1)}px` }}>
                      {p.steps.length > 1 && <span className="muted">then </span>}
                      {stepText(last)}
                    </th>
                    <td className="num">{p.patients}</td>
                    <td className="num">{p.dlts}</td>
                    <DecisionCell d={p.protocol} testId="lookahead-protocol" />
                    <DecisionCell d={p.boin} testId="lookahead-boin" />
                    <DecisionCell d={p.mtpi2} testId="lookahead-mtpi2" />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {leaves.length > 0 && (
        <>
          <h3 className="lookahead-paths-title">Dose paths ({protocolName})</h3>
          <ol className="lookahead-paths" data-testid="lookahead-paths">
            {leaves.map((p) => (
              <li key={key(p.steps)} data-testid="lookahead-path">
                {p.steps.map((s, i) => {
                  const at = byKey.get(key(p.steps.slice(0, i + 1)))!;
                  return (
                    <span key={i} className="la-step">
                      {i > 0 && <span className="la-arrow" aria-hidden="true"> → </span>}
                      <span className="la-cohort">{stepText(s)}</span>
                      <span className="la-arrow" aria-hidden="true"> → </span>
                      <b>{decisionText(at.protocol)}</b>
                    </span>
                  );
                })}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
