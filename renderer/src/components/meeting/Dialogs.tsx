import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { MeetingView, UserInfo } from '../../../../shared/api/meetings';
import type { MinutesExportResult, MinutesVerifyResult } from '../../../../shared/api/minutes';
import { isoWithOffset, type Meaning } from '../../../../shared/meeting';
import { invoke } from '../../api';
import { errorText, Modal, ROLE_LABELS, SignInCancelled, useAuth } from '../../auth';
import { shortHash } from '../../format';
import { downloadBlob } from '../Plot';
import { localTimeZone, MEANING_LABELS, whenText } from './labels';

// The lifecycle dialogs of a meeting record: Sign (21 CFR 11.50 / 11.200: user id and password again,
// printed name, date and time with time zone, meaning), Amend (reason required), Distribute,
// Export minutes (password again; the signed PDF and the JSON record are downloaded and verified)
// and the verification of a minutes PDF (minutes.verify).

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function fileToBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The current time as the signature will state it: local time with its UTC offset and the time zone. */
function useNow(): { iso: string; zone: string } {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  return { iso: isoWithOffset(now, -new Date(now).getTimezoneOffset()), zone: localTimeZone() };
}

export function SignDialog({ meeting, users, onClose, onSigned }: { meeting: MeetingView; users: UserInfo[]; onClose(): void; onSigned(m: MeetingView): void }) {
  const pending = meeting.pendingSigners;
  const [userId, setUserId] = useState(() => users.find((u) => u.userId === pending[0]?.userId)?.username ?? '');
  const [password, setPassword] = useState('');
  const account = users.find((u) => u.username.toLowerCase() === userId.trim().toLowerCase() || String(u.userId) === userId.trim()) ?? null;
  const signer = account ? (meeting.record.requiredSigners.find((s) => s.userId === account.userId) ?? null) : null;
  const [meaning, setMeaning] = useState<Meaning | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const meanings = signer?.meanings ?? [];
  const chosen: Meaning | '' = meaning && meanings.includes(meaning) ? meaning : (meanings[meanings.length - 1] ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!chosen) return setError('Choose the meaning of the signature.');
    setBusy(true);
    try {
      const m = await invoke('meetings.sign', { meetingId: meeting.meetingId, version: meeting.version, userId: userId.trim(), password, meaning: chosen });
      onSigned(m);
    } catch (err) {
      setError(errorText(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy="sign-title" onCancel={onClose} testId="sign-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="sign-title">
            Sign version {meeting.version} of “{meeting.record.content.title}”
          </h2>
        </header>
        <div className="dialog-body">
          <p className="muted">
            Each signer signs with their own user id and password, entered again for this signature (21 CFR 11.200(a)). Still to sign: {pending.map((p) => `${p.name} (${ROLE_LABELS[p.role]})`).join(', ') || 'nobody'}.
          </p>
          <div className="form-grid">
            <label>
              <span>User id</span>
              <input className="input" autoComplete="off" value={userId} onChange={(e) => setUserId(e.target.value)} required data-testid="sign-userid" />
            </label>
            <label>
              <span>Password</span>
              <input className="input" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="sign-password" />
            </label>
          </div>
          <dl className="manifestation" data-testid="sign-manifestation">
            <div>
              <dt>Printed name</dt>
              <dd data-testid="sign-printed-name">{account ? `${account.printedName}${account.title ? `, ${account.title}` : ''}` : '—'}</dd>
            </div>
            <div>
              <dt>Date and time</dt>
              <dd>
                {whenText(now.iso)} · {now.zone}
              </dd>
            </div>
            <div>
              <dt>Meaning</dt>
              <dd>
                {meanings.length ? (
                  <select className="input input-compact" value={chosen} onChange={(e) => setMeaning(e.target.value as Meaning)} aria-label="Meaning of the signature" data-testid="sign-meaning">
                    {meanings.map((m) => (
                      <option key={m} value={m}>
                        {MEANING_LABELS[m]} ({ROLE_LABELS[signer!.role]})
                      </option>
                    ))}
                  </select>
                ) : account ? (
                  <span className="form-problem">{account.printedName} is not a required signer of this version</span>
                ) : (
                  '—'
                )}
              </dd>
            </div>
          </dl>
          <p className="part11-statement" data-testid="part11-statement">
            By signing, I apply my electronic signature, the legally binding equivalent of my handwritten signature (21 CFR 11.100(c)). It shows my printed name, the date and time with the time zone, and the
            meaning (21 CFR 11.50), and it is bound to this exact version of the record — SHA-256 <span className="mono">{shortHash(meeting.recordHash)}</span>… — so that it cannot be moved to another record
            or version (21 CFR 11.70).
          </p>
          {error && (
            <p className="form-problem" role="alert" data-testid="sign-error">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !chosen} data-testid="sign-submit">
            {busy ? 'Signing…' : 'Sign'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

export function ReasonDialog({ title, intro, label, submitLabel, testId, onClose, onSubmit, children }: { title: string; intro: string; label: string; submitLabel: string; testId: string; onClose(): void; onSubmit(reason: string): Promise<void>; children?: ReactNode }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError('A reason is required.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
    } catch (err) {
      if (!(err instanceof SignInCancelled)) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal labelledBy={`${testId}-title`} onCancel={onClose} testId={testId}>
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id={`${testId}-title`}>{title}</h2>
        </header>
        <div className="dialog-body">
          <p className="muted">{intro}</p>
          {children}
          <label className="form-stack">
            <span>{label}</span>
            <textarea className="input textarea" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} required data-testid={`${testId}-reason`} />
          </label>
          {error && (
            <p className="form-problem" role="alert">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`${testId}-submit`}>
            {submitLabel}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

export function DistributeDialog({ meeting, onClose, onDone }: { meeting: MeetingView; onClose(): void; onDone(m: MeetingView): void }) {
  const auth = useAuth();
  const [recipients, setRecipients] = useState('Principal investigators (all sites)\nPharmacy\nIRT vendor');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = recipients.split('\n').map((s) => s.trim()).filter(Boolean);
    if (!list.length) return setError('Name at least one recipient.');
    setBusy(true);
    setError(null);
    try {
      onDone(await auth.withSession((session) => invoke('meetings.distribute', { session, meetingId: meeting.meetingId, version: meeting.version, recipients: list, note })));
    } catch (err) {
      if (!(err instanceof SignInCancelled)) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal labelledBy="distribute-title" onCancel={onClose} testId="distribute-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="distribute-title">Distribute version {meeting.version}</h2>
        </header>
        <div className="dialog-body">
          <p className="muted">The decision is circulated to all relevant parties before the next dosing (MHRA); DoseDesk records to whom and when.</p>
          <label className="form-stack">
            <span>Recipients (one per line)</span>
            <textarea className="input textarea" rows={4} value={recipients} onChange={(e) => setRecipients(e.target.value)} data-testid="distribute-recipients" />
          </label>
          <label className="form-stack">
            <span>Note</span>
            <input className="input" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          {error && (
            <p className="form-problem" role="alert">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="distribute-submit">
            Record the distribution
          </button>
        </footer>
      </form>
    </Modal>
  );
}

export function ExportDialog({ meeting, onClose, onExported }: { meeting: MeetingView; onClose(): void; onExported(): void }) {
  const auth = useAuth();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<MinutesExportResult | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await auth.withSession(
        (session) => invoke('minutes.export', { session, meetingId: meeting.meetingId, version: meeting.version, password }),
        'Exporting the minutes needs a signed-in user (whose certificate signs the PDF).',
      );
      setResult(r);
      setPassword('');
      if (r.pdfBase64) downloadBlob(new Blob([base64ToBytes(r.pdfBase64)], { type: 'application/pdf' }), r.fileName);
      downloadBlob(new Blob([r.recordJson], { type: 'application/json' }), r.jsonFileName);
      onExported();
    } catch (err) {
      if (!(err instanceof SignInCancelled)) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal labelledBy="export-title" onCancel={onClose} className="dialog-wide" testId="export-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="export-title">Export the minutes of version {meeting.version}</h2>
        </header>
        <div className="dialog-body">
          <p className="muted">
            The minutes PDF carries the record as JSON (also downloaded as a separate file) and a PDF digital signature over the whole file made with the certificate of{' '}
            <strong>{auth.user?.printedName ?? 'the signed-in user'}</strong>. Enter your password again: it unlocks your signing certificate (21 CFR 11.200(a)).
          </p>
          {!result && (
            <label className="form-stack">
              <span>Password of {auth.user?.username ?? 'the signed-in user'}</span>
              <input className="input" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="export-password" />
            </label>
          )}
          {error && (
            <p className="form-problem" role="alert" data-testid="export-error">
              {error}
            </p>
          )}
          {result && (
            <>
              <p className="banner banner-success" data-testid="export-done">
                <strong>Downloaded {result.fileName}</strong> and {result.jsonFileName} · {Math.round(result.bytes / 1024)} KiB · SHA-256 <span className="mono">{result.sha256}</span>
              </p>
              <VerificationReport v={result.verification} />
            </>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose} data-testid="export-close">
            {result ? 'Close' : 'Cancel'}
          </button>
          {!result && (
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="export-submit">
              {busy ? 'Exporting…' : 'Export and download'}
            </button>
          )}
        </footer>
      </form>
    </Modal>
  );
}

/** What minutes.verify found: intact or what no longer matches; who signed, when, for what meaning; which snapshot. */
export function VerificationReport({ v }: { v: MinutesVerifyResult }) {
  return (
    <div className="verification" data-testid="verification" data-intact={v.intact}>
      <p className={`banner ${v.intact ? 'banner-success' : 'banner-danger'}`} role="status">
        <strong data-testid="verification-verdict">
          {v.status === 'intact'
            ? 'Intact: every signature is valid and chains to a trusted DoseDesk root, nothing was added after signing, and every page is as the attached record says.'
            : v.status === 'legacy'
              ? 'Intact (legacy): exported before the trust root, signed with a known self-signed DoseDesk certificate, not chained to a root.'
              : 'Not intact: the file no longer matches what was signed, or its signer is not trusted.'}
        </strong>
        <span className="banner-meta">
          {' '}
          · {v.bytes.toLocaleString('en-US')} bytes · SHA-256 <span className="mono">{shortHash(v.sha256)}</span>…
        </span>
      </p>
      {v.problems.length > 0 && (
        <ul className="problems" data-testid="verification-problems">
          {v.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      {v.record && (
        <dl className="facts-inline">
          <div>
            <dt>Record</dt>
            <dd>
              {v.record.title} · meeting {v.record.meetingId} version {v.record.version} · {v.record.status}
            </dd>
          </div>
          <div>
            <dt>Snapshot</dt>
            <dd>
              {v.record.snapshot.label} · cut-off {v.record.snapshot.dataCutoff ?? 'not set'} · <span className="mono">{shortHash(v.record.snapshot.contentHash)}</span>
              {v.snapshotKnown === true ? ' · in this database' : v.snapshotKnown === false ? ' · not in this database' : ''}
            </dd>
          </div>
          <div>
            <dt>Record hash</dt>
            <dd className="mono">{shortHash(v.record.recordHash)}…{v.recordCheck ? (v.recordCheck.recordHashOk ? ' ✓ matches' : ' ✗ does not match') : ''}</dd>
          </div>
        </dl>
      )}
      {v.record && v.record.signatures.length > 0 && (
        <div className="table-scroll">
        <table className="data-table compact-table" data-testid="verification-record-signatures">
          <caption>Signatures of the record (Part 11, Ed25519)</caption>
          <thead>
            <tr>
              <th scope="col">Printed name</th>
              <th scope="col">Meaning</th>
              <th scope="col">Signed at</th>
              <th scope="col">Valid</th>
            </tr>
          </thead>
          <tbody>
            {v.record.signatures.map((s, i) => (
              <tr key={i}>
                <td>{s.printedName}</td>
                <td>{MEANING_LABELS[s.meaning]}</td>
                <td>{whenText(s.signedAt)}</td>
                <td className={s.valid ? 'ok' : 'form-problem'}>{s.valid ? 'valid' : 'INVALID'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <div className="table-scroll">
      <table className="data-table compact-table" data-testid="verification-pdf-signatures">
        <caption>PDF digital signatures</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Signed by</th>
            <th scope="col">When</th>
            <th scope="col">Reason</th>
            <th scope="col">Digest</th>
            <th scope="col">Covers the whole file</th>
            <th scope="col">Trust</th>
          </tr>
        </thead>
        <tbody>
          {v.signatures.map((s) => (
            <tr key={s.index}>
              <td>{s.index}</td>
              <td>{s.knownUser ?? s.name}</td>
              <td className="nowrap">{s.signedAt ? whenText(s.signedAt) : '—'}</td>
              <td>{s.reason}</td>
              <td className={s.digestValid && s.signatureValid ? 'ok' : 'form-problem'}>{s.digestValid && s.signatureValid ? 'valid' : 'INVALID'}</td>
              <td>{s.coversWholeFile ? 'yes' : 'no'}</td>
              <td className={s.trust === 'untrusted' ? 'form-problem' : s.trust === 'chained' ? 'ok' : ''} title={s.trustDetail} data-testid="verification-trust">
                {s.trust === 'chained' ? 'chained' : s.trust === 'legacy' ? 'legacy' : 'NOT TRUSTED'}
              </td>
            </tr>
          ))}
          {v.signatures.length === 0 && (
            <tr>
              <td colSpan={7}>No PDF signature in the file.</td>
            </tr>
          )}
        </tbody>
      </table>
      </div>
      <p className="muted" data-testid="verification-roots">
        Trusted roots: {v.trustRoots.length ? v.trustRoots.map((r) => `${r.subject} (SHA-256 ${r.fingerprint}, ${r.source})`).join('; ') : 'none'}
        {v.pages ? ` · pages compared with the record: ${v.pages.compared}${v.pages.differing.length ? `, differing: ${v.pages.differing.join(', ')}` : ', all match'}` : ''}
        {v.auditHead ? ` · audit trail anchored at entry ${v.auditHead.seq}` : ''}
      </p>
      {v.pdfsig?.available && (
        <details>
          <summary>poppler pdfsig output</summary>
          <pre className="mono pre">{v.pdfsig.output}</pre>
        </details>
      )}
    </div>
  );
}

export function VerifyPanel() {
  const [trustPem, setTrustPem] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ name: string; v: MinutesVerifyResult } | null>(null);
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const v = await invoke('minutes.verify', { pdfBase64: await fileToBase64(f), ...(trustPem ? { trustPem: [trustPem.text] } : {}) });
      setResult({ name: f.name, v });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card verify-panel" aria-labelledby="verify-title" data-testid="verify-panel">
      <h2 id="verify-title">Verify a minutes PDF</h2>
      <p className="muted">Checks a file without trusting it: every PDF signature, that the last one covers the whole file, the attached record and its Part 11 signatures, and the snapshot it cites.</p>
      <label className="file-btn btn">
        Choose a PDF…
        <input className="visually-hidden-input" type="file" accept="application/pdf,.pdf" onChange={(e) => { void onFile(e.target.files?.[0]); e.target.value = ''; }} data-testid="verify-file" />
      </label>{' '}
      <label className="file-btn btn" title="The trust file of the installation that exported the minutes (dosedesk minutes export-trust)">
        {trustPem ? `Trust file: ${trustPem.name}` : 'Trust file of another installation…'}
        <input
          className="visually-hidden-input"
          type="file"
          accept=".pem,.crt,text/plain"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void f.text().then((text) => setTrustPem({ name: f.name, text }));
          }}
          data-testid="verify-trust-file"
        />
      </label>
      {busy && <span className="muted"> Verifying…</span>}
      {error && (
        <p className="form-problem" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="muted">{result.name}</p>
          <VerificationReport v={result.v} />
        </>
      )}
    </section>
  );
}

/**
 * Finalize asks first (issue 12 item 9): locking is not undone. It names what locking means — the
 * version can no longer be edited, the required signers are asked to sign, and any later change is
 * an amendment (a new version with its own signatures).
 */
export function ConfirmLockDialog({ meeting, dirty, onClose, onConfirm }: { meeting: MeetingView; dirty: boolean; onClose(): void; onConfirm(): void }) {
  return (
    <Modal labelledBy="lock-confirm-title" onCancel={onClose} testId="lock-confirm">
      <header className="dialog-header">
        <h2 id="lock-confirm-title">Lock version {meeting.version} of this record?</h2>
      </header>
      <div className="dialog-body">
        <ul className="lock-meaning">
          <li>The version becomes final: nothing in it can be edited any more{dirty ? ' (your unsaved changes are saved first)' : ''}.</li>
          <li>The present attendees whose role signs are asked to sign it; each signature is bound to this exact version.</li>
          <li>Any later change needs an amendment: a new version that references this one, gives a reason and needs new signatures.</li>
          <li>Locking is recorded under your name in the audit trail.</li>
        </ul>
      </div>
      <footer className="dialog-footer">
        <button type="button" className="btn" onClick={onClose} data-testid="lock-confirm-cancel">
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="lock-confirm-submit">
          Lock the record
        </button>
      </footer>
    </Modal>
  );
}
