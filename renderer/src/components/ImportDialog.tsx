import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CoreEvent, ImportResult, StudyInfo } from '../../../shared/contract';
import { invoke, isElectron, onCoreEvent, pickNative, stageFiles } from '../api';
import { errorText, SignInCancelled, useAuth } from '../auth';
import { count, shortHash } from '../format';
import { IssueTable } from './IssueTable';
import { StudyDefinitionForm } from './StudyDefinitionForm';
import { useCall } from '../useCall';

// The import dialog: choose a file or a folder; watch the progress; cancel; read the result
// (docs/ARCHITECTURE.md#the-flow-of-an-import: atomic import, located errors, warnings kept with the snapshot). The page never types a
// path for the core to read (issue 11): in the browser the chosen files are uploaded to the host, in
// Electron the native dialog's choice is what the core may read. The import is made by the signed-in
// account (a database without accounts — a scratch database — imports without one).

type Source = { kind: 'files'; files: File[]; name: string } | { kind: 'path'; path: string };

type Stage =
  | { step: 'choose' }
  | { step: 'running'; importId: string; progress: CoreEvent | null; uploading: boolean; cancelling: boolean }
  | { step: 'result'; result: ImportResult }
  | { step: 'call-failed'; message: string };

const PHASES: Record<CoreEvent['phase'], string> = {
  hashing: 'Computing file hashes',
  reading: 'Reading',
  checking: 'Checking',
  committing: 'Writing to the database',
  done: 'Finishing',
};

function newImportId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `imp-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose(): void; onImported(result: ImportResult): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const auth = useAuth();
  const [source, setSource] = useState<Source | null>(null);
  const [label, setLabel] = useState('');
  const [study, setStudy] = useState<StudyInfo | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setStage({ step: 'choose' });
      setSource(null);
      setLabel('');
      setStudy(null);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const running = stage.step === 'running';

  const start = async () => {
    const chosen = source;
    if (!chosen) return;
    const importId = newImportId();
    setStage({ step: 'running', importId, progress: null, uploading: chosen.kind === 'files', cancelling: false });
    const off = onCoreEvent((e) => {
      if (e.importId !== importId) return;
      setStage((s) => (s.step === 'running' && s.importId === importId ? { ...s, progress: e } : s));
    });
    try {
      const path = chosen.kind === 'path' ? chosen.path : await stageFiles(chosen.files);
      setStage((s) => (s.step === 'running' ? { ...s, uploading: false } : s));
      const result = await auth.withWriteSession(
        (session) => invoke('snapshot.import', { path, importId, ...(session ? { session } : {}), ...(label.trim() ? { label: label.trim() } : {}) }),
        'Importing a snapshot is recorded under your name: sign in first.',
      );
      setStage({ step: 'result', result });
      if (result.snapshotId && (result.status === 'imported' || result.status === 'duplicate')) {
        onImported(result);
        if (result.needsConfirmation.length > 0 && result.studyId) {
          const studies = await invoke('studies.list', {});
          setStudy(studies.find((s) => s.studyId === result.studyId) ?? null);
        }
      }
    } catch (e) {
      if (e instanceof SignInCancelled) setStage({ step: 'choose' });
      else setStage({ step: 'call-failed', message: errorText(e) });
    } finally {
      off();
    }
  };

  const cancel = async () => {
    if (stage.step !== 'running') return;
    setStage({ ...stage, cancelling: true });
    try {
      await invoke('import.cancel', { importId: stage.importId });
    } catch {
      // The import may have finished in the meantime: its result will show.
    }
  };

  const chooseNative = async (kind: 'file' | 'folder') => {
    const p = await pickNative(kind);
    if (p) setSource({ kind: 'path', path: p });
  };

  const canStart = !!source;

  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby="import-title"
      onCancel={(e) => {
        // Escape closes the dialog, except while an import runs (cancel it first).
        e.preventDefault();
        if (!running) onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id="import-title">Import snapshot</h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose} disabled={running} aria-label="Close">
          Close
        </button>
      </header>
      <div className="dialog-body">
        {stage.step === 'choose' && (
          <div className="import-choose">
            <p className="muted">
              A snapshot is one data cut: a folder or a .zip of SDTM domain files (CSV, Dataset-JSON, SAS transport .xpt), optionally with a{' '}
              <span className="mono">study.json</span>. It is imported in one transaction: if anything is wrong, nothing is written.
            </p>
            <div className="source-options">
              {isElectron ? (
                <>
                  <button type="button" className="btn" onClick={() => chooseNative('file')}>
                    Choose file…
                  </button>
                  <button type="button" className="btn" onClick={() => chooseNative('folder')}>
                    Choose folder…
                  </button>
                </>
              ) : (
                <>
                  <label className="btn file-btn">
                    Choose file (.zip or domain file)…
                    <input
                      type="file"
                      className="visually-hidden-input"
                      accept=".zip,.csv,.json,.ndjson,.xpt"
                      data-testid="file-input"
                      onChange={(e) => {
                        const files = [...(e.target.files ?? [])];
                        if (files.length) {
                          setSource({ kind: 'files', files, name: files[0]!.name });
                        }
                      }}
                    />
                  </label>
                  <label className="btn file-btn">
                    Choose folder…
                    <input
                      type="file"
                      className="visually-hidden-input"
                      data-testid="folder-input"
                      // @ts-expect-error: non-standard attribute supported by Chromium and Electron
                      webkitdirectory=""
                      multiple
                      onChange={(e) => {
                        const files = [...(e.target.files ?? [])];
                        if (files.length) {
                          const first = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath ?? files[0]!.name;
                          setSource({ kind: 'files', files, name: `${first.split('/')[0]}/ (${files.length} files)` });
                        }
                      }}
                    />
                  </label>
                </>
              )}
            </div>
            {source && (
              <p className="chosen" data-testid="chosen-source">
                Chosen: <span className="mono">{source.kind === 'files' ? source.name : source.path}</span>
              </p>
            )}
            <div className="form-grid">
              <label className="span-2">
                <span>Label (optional)</span>
                <input className="input" placeholder="e.g. Cut 3 — SRC meeting 12" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
              </label>
            </div>
          </div>
        )}

        {stage.step === 'running' && <Progress stage={stage} />}

        {stage.step === 'call-failed' && (
          <div className="banner banner-danger" role="alert" data-testid="import-status" data-status="failed">
            <strong>Import failed — nothing was written.</strong>
            <div>{stage.message}</div>
          </div>
        )}

        {stage.step === 'result' && (
          <ResultPanel result={stage.result}>
            {study && stage.result.needsConfirmation.length > 0 && (
              <DefinitionWithMapping study={study} result={stage.result} onSaved={() => onImported(stage.result)} />
            )}
          </ResultPanel>
        )}
      </div>
      <footer className="dialog-footer">
        {stage.step === 'choose' && (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" disabled={!canStart} onClick={start}>
              Import
            </button>
          </>
        )}
        {stage.step === 'running' && (
          <button type="button" className="btn btn-danger-outline" onClick={cancel} disabled={stage.cancelling || stage.uploading}>
            {stage.cancelling ? 'Cancelling…' : 'Cancel import'}
          </button>
        )}
        {(stage.step === 'result' || stage.step === 'call-failed') && (
          <>
            <button type="button" className="btn" onClick={() => setStage({ step: 'choose' })}>
              Import another
            </button>
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Done
            </button>
          </>
        )}
      </footer>
    </dialog>
  );
}

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

// The bar moves by the bytes read (the core reports them while a file is read), not by files: one large LB is most of a snapshot.
function Progress({ stage }: { stage: Extract<Stage, { step: 'running' }> }) {
  const p = stage.progress;
  const fraction = p && p.phase !== 'hashing' ? (p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0) : 0;
  const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
  const what = stage.uploading ? 'Uploading the chosen files' : p ? `${PHASES[p.phase]}${p.file ? ` ${p.file}` : ''}` : 'Starting';
  return (
    <div className="progress-block" data-testid="import-progress">
      <div className="progress-label" aria-live="polite">
        {stage.cancelling ? 'Cancelling — rolling back…' : what}
      </div>
      <div className="progress-track" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="progress-meta">
        <span>{pct}%</span>
        {p && (
          <span>
            {p.phase !== 'hashing' && p.bytesTotal > 0 && (
              <span data-testid="import-bytes">
                {megabytes(p.bytesDone)} of {megabytes(p.bytesTotal)} ·{' '}
              </span>
            )}
            {count(p.filesDone)} of {count(p.filesTotal)} files · {count(p.rows)} rows read
          </span>
        )}
      </div>
    </div>
  );
}

const STATUS_TEXT: Record<ImportResult['status'], { tone: string; title: string; body: string }> = {
  imported: { tone: 'success', title: 'Snapshot imported', body: 'All files were read and checked, and the snapshot was written in one transaction.' },
  duplicate: {
    tone: 'info',
    title: 'Identical snapshot already imported',
    body: 'These files have the same content hash as a snapshot already in the database. Nothing was written; that snapshot is selected.',
  },
  failed: { tone: 'danger', title: 'Import failed — nothing was written', body: 'Fix the errors below in the source files and import again. Earlier snapshots are unchanged.' },
  cancelled: { tone: 'neutral', title: 'Import cancelled — nothing was written', body: 'The import was rolled back. Earlier snapshots are unchanged.' },
};

function ResultPanel({ result, children }: { result: ImportResult; children?: ReactNode }) {
  const s = STATUS_TEXT[result.status];
  const domains = Object.entries(result.domains).sort(([a], [b]) => a.localeCompare(b));
  // Every error found (a line past the per-file limit stands for `count` rows).
  const errorTotal = result.errors.reduce((n, e) => n + e.count, 0);
  return (
    <div className="import-result">
      <div className={`banner banner-${s.tone}`} role={result.status === 'failed' ? 'alert' : 'status'} data-testid="import-status" data-status={result.status}>
        <strong>{s.title}</strong>
        {result.status === 'failed' && (
          <span className="banner-count">
            {count(errorTotal)} {errorTotal === 1 ? 'error' : 'errors'}
          </span>
        )}
        <div>{s.body}</div>
        {result.contentHash && (
          <div className="banner-meta">
            {result.studyId && <>Study {result.studyId} · </>}
            {result.snapshotId && <>snapshot #{result.snapshotId} · </>}
            hash <span className="mono">{shortHash(result.contentHash)}</span> · {(result.elapsedMs / 1000).toFixed(1)} s
          </div>
        )}
      </div>

      {children}

      {result.errors.length > 0 && <IssueTable issues={result.errors} kind="error" caption={`Errors (${count(errorTotal)}${errorTotal > result.errors.length ? `, ${count(result.errors.length)} lines` : ''}) — all found, grouped by file, kind and column; fix them all, then import again`} />}

      {domains.length > 0 && (
        <div className="table-wrap table-wrap-fit" tabIndex={0} role="region" aria-label="Domains read">
          <table className="data-table domains-table" data-testid="domains-table">
            <caption>{result.status === 'imported' || result.status === 'duplicate' ? 'Domains' : 'Domains read (nothing written)'}</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  Subjects
                </th>
                <th scope="col" className="num">
                  Columns
                </th>
              </tr>
            </thead>
            <tbody>
              {domains.map(([d, c]) => (
                <tr key={d}>
                  <th scope="row">{d}</th>
                  <td className="num">{count(c.rows)}</td>
                  <td className="num">{count(c.subjects)}</td>
                  <td className="num">{count(c.columns)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {result.warnings.length > 0 && (
        <IssueTable issues={result.warnings} kind="warning" caption={`Warnings (${result.warnings.length}) — ${result.ok ? 'stored with the snapshot' : 'found before the import stopped; not stored'}`} />
      )}
    </div>
  );
}

/** The definition form after an import, offering in its "Data mapping" section the values of the new snapshot's mapping report. */
function DefinitionWithMapping({ study, result, onSaved }: { study: StudyInfo; result: ImportResult; onSaved(): void }) {
  const id = result.snapshotId;
  const [report] = useCall(id ? () => invoke('snapshot.mapping', { snapshotId: id }) : null, [id]);
  return <StudyDefinitionForm study={study} needs={result.needsConfirmation} mapping={report.status === 'ok' ? report.data : undefined} onSaved={onSaved} />;
}
