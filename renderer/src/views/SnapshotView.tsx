import { useState, type ReactNode } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { IssueTable } from '../components/IssueTable';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { count, fileSize, isoDate, localTimestamp } from '../format';
import { useCall } from '../useCall';
import type { ViewProps } from './types';

// Snapshot provenance (DESIGN §3): where the data came from, byte for byte. Minutes cite the content hash.

type Details = Output<'snapshot.get'>;

export function SnapshotView({ snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<Details>(snapshot ? () => invoke('snapshot.get', { snapshotId: snapshot.snapshotId }) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Snapshot provenance</h1>
        <p className="view-sub">The files this snapshot was imported from, their SHA-256, and what the import checks found.</p>
      </header>
      {!snapshot ? (
        <EmptyState
          title="No snapshot loaded"
          action={
            <button type="button" className="btn btn-primary" onClick={onImport}>
              Import snapshot…
            </button>
          }
        >
          <p>Import a snapshot to see its provenance.</p>
        </EmptyState>
      ) : state.status === 'error' ? (
        <ErrorState title="The snapshot's provenance could not be loaded" error={state.error} onRetry={retry} />
      ) : state.status !== 'ok' ? (
        <LoadingState what="the snapshot's provenance" />
      ) : (
        <DetailsBody d={state.data} />
      )}
    </section>
  );
}

function DetailsBody({ d }: { d: Details }) {
  const { info } = d;
  const warnings = d.issues.filter((i) => i.severity === 'warning');
  return (
    <>
      <div className="card">
        <dl className="facts" data-testid="snapshot-facts">
          <Fact label="Label" value={info.label} />
          <Fact label="Study" value={info.studyId} />
          <Fact label="Data cut-off" value={isoDate(info.dataCutoff)} />
          <Fact label="Subjects" value={count(info.subjects)} />
          <Fact label="Imported at" value={localTimestamp(info.importedAt)} />
          <Fact label="Imported by" value={info.importedBy} />
          <Fact label="Study definition" value={definitionSourceText(info.definitionSource)} />
          <Fact label="Source" value={<span className="mono break">{info.sourcePath}</span>} />
        </dl>
        <div className="hash-block">
          <div className="hash-label" id="hash-label">
            Content hash (SHA-256 over the sorted file hashes)
          </div>
          <div className="hash-row">
            <code className="hash" aria-labelledby="hash-label" data-testid="content-hash">
              {info.contentHash}
            </code>
            <CopyButton text={info.contentHash} />
          </div>
        </div>
      </div>

      <h2 className="section-title">Files</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Files of this snapshot">
        <table className="data-table files-table" data-testid="files-table">
          <caption className="sr-only">Files of snapshot {info.label}</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Domain</th>
              <th scope="col">Format</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Subjects
              </th>
              <th scope="col" className="num">
                Columns
              </th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {d.files.map((f) => (
              <tr key={f.fileName}>
                <td className="mono">{f.fileName}</td>
                <td>{f.domain ?? <span className="muted">—</span>}</td>
                <td>{f.format}</td>
                <td className="num">{fileSize(f.size)}</td>
                <td className="num">{count(f.rows)}</td>
                <td className="num">{count(f.subjects)}</td>
                <td className="num">{count(f.columns.length)}</td>
                <td className="mono sha" title={f.sha256}>
                  {f.sha256}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="section-title">
        Warnings <span className="count-badge">{count(warnings.length)}</span>
      </h2>
      {warnings.length === 0 ? (
        <p className="muted">The import checks found nothing to warn about.</p>
      ) : (
        <IssueTable issues={warnings} kind="warning" caption="Warnings stored with this snapshot (import continued)" />
      )}
    </>
  );
}

function definitionSourceText(s: string): string {
  if (s === 'study.json') return 'from study.json';
  if (s === 'user') return 'confirmed by a user';
  if (s === 'derived') return 'derived from the data (not confirmed)';
  return s;
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const [done, setDone] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone('idle'), 2000);
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy} aria-live="polite">
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Select and copy' : 'Copy hash'}
    </button>
  );
}
