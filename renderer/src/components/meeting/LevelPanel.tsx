import { COMMITTEE_DECISIONS, departsFromRule, tallyVotes, type CommitteeDecision, type DecisionRecord, type ReviewedLevel, type RuleRecommendation, type Vote } from '../../../../shared/meeting';
import { isoDate } from '../../format';
import { useReview } from '../../review';
import { DECISION_LABELS, DESIGN_LABELS, ruleActionText } from './labels';
import { codesInWords } from './words';

// One reviewed dose level of a meeting record: the cohort's DLT table as computed when the meeting
// was created, the protocol rule's recommendation (BOIN and mTPI-2 beside it, for context), the
// committee's decision with next dose, cohort size and rationale — required, and said so in red,
// when the decision departs from the rule (shared/meeting.ts departsFromRule) — and the votes.

export interface Voter {
  userId: number;
  name: string;
}

type Subject = { usubjid: string; firstDoseDtc?: string; windowEndDtc?: string; status?: string; reason?: string; dlts?: { aeterm: string; aedecod: string | null; grade: number | null }[]; evaluable?: boolean };

const STATUS_TEXT: Record<string, string> = { dlt: 'DLT', completed: 'Window completed', 'in-window': 'In DLT window', 'not-evaluable': 'Not evaluable' };

/** The next level a decision implies by default (the committee can change it). */
export function defaultNextLevel(decision: CommitteeDecision, level: number, rec: RuleRecommendation | null, maxLevel: number): number | null {
  switch (decision) {
    case 'escalate':
      return Math.min(level + 1, maxLevel);
    case 'stay':
    case 'expand-cohort':
      return level;
    case 'de-escalate':
      return Math.max(level - 1, 1);
    case 'declare-mtd':
    case 'declare-rp2d':
    case 'open-expansion':
      return rec?.recommendedLevel ?? level;
    case 'stop':
      return null;
  }
}

export function LevelPanel({
  level,
  decision,
  votes,
  voters,
  editable,
  onDecision,
  onVotes,
}: {
  level: ReviewedLevel;
  decision: DecisionRecord | null;
  votes: Vote[];
  voters: Voter[];
  editable: boolean;
  onDecision(d: DecisionRecord | null): void;
  onVotes(v: Vote[]): void;
}) {
  const review = useReview();
  const t = level.dltTable as ReviewedLevel['dltTable'] & { notEvaluable?: number };
  // Everyone treated at this dose, by part (records made before parts were stored hold the escalation part only).
  const parts = level.parts && level.parts.length > 0 ? level.parts : [t];
  const subjects = parts.flatMap((p) => (p.subjects as Subject[]).map((s) => ({ ...s, part: p.part })));
  const rec = level.recommendation;
  const departure = decision ? departsFromRule(decision, rec, level.level, level.whenComplete) : null;
  const rationaleMissing = !!departure?.departs && decision!.rationale.trim() === '';
  const planned = review.levels.length ? review.levels : [{ level: level.level, dose: level.dose, unit: level.doseUnit }];
  const maxLevel = Math.max(...planned.map((l) => l.level), level.level);
  const doseOf = (lv: number | null) => (lv === null ? null : (planned.find((l) => l.level === lv)?.dose ?? null));
  const tally = tallyVotes(votes);
  const idp = `lvl${level.level}`;

  const setDecision = (patch: Partial<DecisionRecord>) => {
    const base: DecisionRecord = decision ?? { decision: 'stay', nextLevel: level.level, nextDose: level.dose, cohortSize: 3, rationale: '', conditions: '' };
    onDecision({ ...base, ...patch });
  };
  const chooseDecision = (d: CommitteeDecision) => {
    const next = defaultNextLevel(d, level.level, rec, maxLevel);
    const dosing = d === 'escalate' || d === 'stay' || d === 'expand-cohort' || d === 'de-escalate';
    setDecision({ decision: d, nextLevel: next, nextDose: doseOf(next), cohortSize: dosing ? (decision?.cohortSize ?? 3) : (decision?.cohortSize ?? null) });
  };
  const setVote = (userId: number, vote: Vote['vote'] | null, comment?: string) => {
    const others = votes.filter((v) => v.userId !== userId);
    const prev = votes.find((v) => v.userId === userId);
    if (vote === null) return onVotes(others);
    onVotes([...others, { userId, vote, comment: comment ?? prev?.comment ?? '' }].sort((a, b) => a.userId - b.userId));
  };

  return (
    <section className="card level-panel" data-testid={`level-panel-${level.level}`} aria-labelledby={`${idp}-title`}>
      <header className="level-head">
        <h3 id={`${idp}-title`}>
          <span className="swatch" style={{ background: review.doseColor(level.level) }} aria-hidden="true" /> DL{level.level} · {level.dose} {level.doseUnit}
        </h3>
        <span className="muted">
          {parts.length > 1 ? `${subjects.length} treated (${parts.map((p) => `${p.part} ${p.treated}`).join(', ')}); the rule reads the escalation part: ` : ''}
          {t.part} · {t.treated} treated · {t.evaluable} DLT-evaluable · {t.withDlt} with a DLT · {t.pending} in window{typeof t.notEvaluable === 'number' ? ` · ${t.notEvaluable} not evaluable` : ''}
        </span>
        <button
          type="button"
          className="btn btn-small btn-quiet"
          onClick={() => {
            review.setFilters({ doseLevels: [level.level] });
            review.goToView('cohorts');
          }}
        >
          Open in Cohorts view
        </button>
      </header>

      <details className="cohort-details" data-testid={`cohort-${level.level}`}>
        <summary data-testid={`open-cohort-${level.level}`}>Cohort under review: {subjects.length} subject{subjects.length === 1 ? '' : 's'} (DLT table as of the snapshot)</summary>
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid={`dlt-subjects-${level.level}`}>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                {parts.length > 1 && <th scope="col">Part</th>}
                <th scope="col">First dose</th>
                <th scope="col">DLT window ends</th>
                <th scope="col">Status</th>
                <th scope="col">DLTs</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {subjects.map((s) => (
                <tr key={s.usubjid} data-testid="dlt-subject-row" data-status={s.status}>
                  <td>
                    <button type="button" className="link" onClick={() => review.openSubject(s.usubjid)}>
                      {s.usubjid}
                    </button>
                  </td>
                  {parts.length > 1 && <td>{s.part}</td>}
                  <td>{isoDate(s.firstDoseDtc)}</td>
                  <td>{isoDate(s.windowEndDtc)}</td>
                  <td>
                    <span className={`status status-${s.status ?? ''}`}>{STATUS_TEXT[s.status ?? ''] ?? s.status}</span>
                  </td>
                  <td>{s.dlts?.length ? s.dlts.map((d) => `${d.aedecod ?? d.aeterm}${d.grade !== null ? ` (grade ${d.grade})` : ''}`).join('; ') : '—'}</td>
                  <td className="muted">{s.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          History: <span className="mono">{level.history}</span>
        </p>
      </details>

      <div className="rule-grid" data-testid={`rule-${level.level}`}>
        <RuleBox title={`Protocol rule: ${DESIGN_LABELS[rec?.design ?? ''] ?? rec?.design ?? '—'}`} rec={rec} main testId={`rule-main-${level.level}`} />
        <RuleBox title="BOIN (context)" rec={level.context.boin} />
        <RuleBox title="mTPI-2 (context)" rec={level.context.mtpi2} />
      </div>

      <fieldset className="fieldset decision" disabled={!editable}>
        <legend>Committee decision</legend>
        <div className="form-grid form-grid-4">
          <label>
            <span>Decision</span>
            <select className="input" value={decision?.decision ?? ''} onChange={(e) => (e.target.value ? chooseDecision(e.target.value as CommitteeDecision) : onDecision(null))} data-testid={`decision-${level.level}`}>
              <option value="">Not decided</option>
              {COMMITTEE_DECISIONS.map((d) => (
                <option key={d} value={d}>
                  {DECISION_LABELS[d]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Next dose level</span>
            <select
              className="input"
              value={decision?.nextLevel ?? ''}
              disabled={!decision}
              onChange={(e) => {
                const lv = e.target.value === '' ? null : Number(e.target.value);
                setDecision({ nextLevel: lv, nextDose: doseOf(lv) });
              }}
              data-testid={`next-level-${level.level}`}
            >
              <option value="">None</option>
              {planned.map((l) => (
                <option key={l.level} value={l.level}>
                  DL{l.level} · {l.dose} {l.unit}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Next dose ({level.doseUnit || 'unit of the plan'})</span>
            <input className="input" type="number" min={0} step="any" value={decision?.nextDose ?? ''} disabled={!decision} onChange={(e) => setDecision({ nextDose: e.target.value === '' ? null : Number(e.target.value) })} data-testid={`next-dose-${level.level}`} />
          </label>
          <label>
            <span>Cohort size</span>
            <input className="input" type="number" min={1} step={1} value={decision?.cohortSize ?? ''} disabled={!decision} onChange={(e) => setDecision({ cohortSize: e.target.value === '' ? null : Math.max(1, Math.round(Number(e.target.value))) })} data-testid={`cohort-size-${level.level}`} />
          </label>
        </div>
        {departure && (
          <p className={departure.departs ? 'departure departs' : 'departure agrees'} role={departure.departs ? 'alert' : 'status'} data-testid={`departure-${level.level}`}>
            {departure.departs ? `Departs from the rule: ${codesInWords(departure.why)}. A rationale is required.` : `Agrees with the rule (${codesInWords(departure.why)}).`}
          </p>
        )}
        <label className="form-stack">
          <span>
            Rationale{departure?.departs ? <strong className="required"> (required: the decision departs from the rule)</strong> : ''}
          </span>
          <textarea
            className={`input textarea${rationaleMissing ? ' input-invalid' : ''}`}
            rows={3}
            value={decision?.rationale ?? ''}
            disabled={!decision}
            aria-required={departure?.departs ?? false}
            aria-invalid={rationaleMissing}
            onChange={(e) => setDecision({ rationale: e.target.value })}
            data-testid={`rationale-${level.level}`}
          />
        </label>
        <label className="form-stack">
          <span>Conditions (e.g. sentinel dosing, extra monitoring)</span>
          <input className="input" value={decision?.conditions ?? ''} disabled={!decision} onChange={(e) => setDecision({ conditions: e.target.value })} />
        </label>
      </fieldset>

      <fieldset className="fieldset votes" disabled={!editable}>
        <legend>Votes</legend>
        {voters.length === 0 ? (
          <p className="muted">No present, non-recused voting member with an account.</p>
        ) : (
          <div className="table-scroll">
          <table className="data-table compact-table vote-table" data-testid={`votes-${level.level}`}>
            <thead>
              <tr>
                <th scope="col">Voting member</th>
                <th scope="col">For</th>
                <th scope="col">Against</th>
                <th scope="col">Abstain</th>
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {voters.map((m) => {
                const v = votes.find((x) => x.userId === m.userId);
                return (
                  <tr key={m.userId} data-testid="vote-row">
                    <th scope="row">{m.name}</th>
                    {(['for', 'against', 'abstain'] as const).map((opt) => (
                      <td key={opt}>
                        <input type="radio" name={`${idp}-vote-${m.userId}`} checked={v?.vote === opt} onChange={() => setVote(m.userId, opt)} aria-label={`${m.name}: ${opt}`} data-testid={`vote-${level.level}-${m.userId}-${opt}`} />
                      </td>
                    ))}
                    <td>
                      <input className="input input-compact" value={v?.comment ?? ''} disabled={!v} onChange={(e) => v && setVote(m.userId, v.vote, e.target.value)} aria-label={`Comment of ${m.name}`} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
        )}
        <p className="muted small" data-testid={`tally-${level.level}`}>
          {tally.for} for · {tally.against} against · {tally.abstain} abstaining · {votes.length ? (tally.carried ? 'carried' : 'not carried') : 'no vote recorded'}
        </p>
      </fieldset>
    </section>
  );
}

function RuleBox({ title, rec, main, testId }: { title: string; rec: RuleRecommendation | null; main?: boolean; testId?: string }) {
  return (
    <div className={`rule-box${main ? ' rule-box-main' : ''}`} data-testid={testId}>
      <div className="rule-box-title">{title}</div>
      <div className="rule-box-action" data-action={rec?.action ?? ''}>
        {ruleActionText(rec)}
      </div>
      {rec?.explanation && <p className="rule-box-expl">{rec.explanation}</p>}
      {main && rec && (
        <p className="muted small">
          {rec.rule ? <>Rule <span className="mono">{rec.rule}</span> · </> : null}
          {rec.determined ? 'outcome already determined before the cohort completes' : 'computed from the snapshot when the meeting was created'}
        </p>
      )}
    </div>
  );
}
