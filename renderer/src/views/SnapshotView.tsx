import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Output, StudyInfo } from '../../../shared/contract';
import type { MappingEntry } from '../../../shared/mapping';
import { invoke } from '../api';
import { IssueTable } from '../components/IssueTable';
import { mappingFocus, unusedText } from '../components/MappingBanner';
import { StudyDefinitionForm } from '../components/StudyDefinitionForm';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { count, fileSize, isoDate, localTimestamp } from '../format';
import { useCall } from '../useCall';
import type { ViewProps } from './types';

// Snapshot provenance (docs/ARCHITECTURE.md#the-flow-of-an-import): where the data came from, byte for byte. Minutes cite the content hash.

type Details = Output<'snapshot.get'>;

export function SnapshotView({ study, snapshot, onImport, dataVersion }: ViewProps) {
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
        <>
          <DetailsBody d={state.data} />
          <MappingSection snapshotId={snapshot.snapshotId} study={study} dataVersion={dataVersion} />
        </>
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

/**
 * The mapping report (snapshot.mapping): per domain the rows read, what each analysis used, what it
 * did not and why, with the values and their counts; "map them" opens the data-mapping editor below,
 * which offers the same values.
 */
function MappingSection({ snapshotId, study, dataVersion }: { snapshotId: number; study: StudyInfo | null; dataVersion: number }) {
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState<StudyInfo | null>(null);
  const [state, retry] = useCall<MappingEntry[]>(() => invoke('snapshot.mapping', { snapshotId }), [snapshotId, dataVersion, version]);
  const [editing, setEditing] = useState(mappingFocus.pending);
  const editor = useRef<HTMLDivElement>(null);
  const openEditor = () => {
    setEditing(true);
    setTimeout(() => editor.current?.scrollIntoView({ block: 'start' }), 0);
  };
  // Arrived from a view's banner ("map them"): open the editor once the report is there.
  useEffect(() => {
    if (mappingFocus.pending && state.status === 'ok') {
      mappingFocus.pending = false;
      openEditor();
    }
  }, [state.status]);
  const current = saved && saved.studyId === study?.studyId ? saved : study;
  return (
    <>
      <h2 className="section-title" id="mapping-report">
        Mapping report
      </h2>
      <p className="muted">
        What each analysis read from every domain, what it used, and what it did not use and why. Nothing DoseDesk cannot interpret is dropped in silence: it is kept, and listed here.
      </p>
      {state.status === 'error' ? (
        <ErrorState title="The mapping report could not be loaded" error={state.error} onRetry={retry} />
      ) : state.status !== 'ok' ? (
        <LoadingState what="the mapping report" />
      ) : (
        <MappingTable entries={state.data} onMap={openEditor} />
      )}
      {current && (
        <div ref={editor} id="data-mapping" className="mapping-editor">
          {editing ? (
            <StudyDefinitionForm
              key={current.studyId}
              study={current}
              needs={[]}
              intro="edit"
              mapping={state.status === 'ok' ? state.data : undefined}
              onSaved={(s) => {
                setSaved(s);
                setVersion((v) => v + 1);
              }}
            />
          ) : (
            <button type="button" className="btn" onClick={openEditor}>
              Edit the study definition and data mapping…
            </button>
          )}
        </div>
      )}
    </>
  );
}

function MappingTable({ entries, onMap }: { entries: MappingEntry[]; onMap(): void }) {
  if (entries.length === 0) return <p className="muted">No domain in this snapshot.</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Mapping report">
      <table className="data-table mapping-table" data-testid="mapping-report">
        <caption className="sr-only">Mapping report: rows read, used and not used per domain and analysis</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Analysis</th>
            <th scope="col" className="num">
              Rows read
            </th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col">Not used, or kept without being read — why</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.domain}/${e.analysis}`} data-domain={e.domain}>
              <th scope="row" className="mono">
                {e.domain}
              </th>
              <td>{e.analysis}</td>
              <td className="num">{count(e.rowsRead)}</td>
              <td className="num">{count(e.rowsUsed)}</td>
              <td>
                {e.unused.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul className="mapping-unused">
                    {e.unused.map((u, i) => (
                      <li key={i}>
                        <span className="values">{count(u.rows)} rows</span> — {unusedText(u, 8)}
                        {u.mapTo && (
                          <>
                            {' '}
                            <button type="button" className="link-button" onClick={onMap} title={`Study-definition setting ${u.mapTo}`}>
                              map them ({u.mapTo})
                            </button>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {e.settings.length > 0 && <div className="mapping-settings">{e.settings.join('; ')}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
