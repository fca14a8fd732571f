import type { CoreEvent, Input, MethodName, Output } from '../../shared/contract';
import { ApiCallError } from './apiError';

// The renderer's only way to the core: one typed `invoke`, over Electron IPC (the preload's bridge)
// or, in the browser host, over HTTP with the per-run token.

interface Bridge {
  /** The answer as JSON text: the core's thread wrote it, and one string crosses IPC instead of a clone of the object graph. */
  invoke(method: string, input: unknown): Promise<{ ok: true; json: string } | { ok: false; error: { error: string; kind: string; details?: unknown } }>;
  onEvent(listener: (e: CoreEvent) => void): () => void;
  pickSnapshot(kind: 'file' | 'folder'): Promise<string | null>;
}

declare global {
  interface Window {
    dosedesk?: Bridge;
  }
}

export { ApiCallError } from './apiError';

function token(): string {
  // ?token= (the address `dosedesk serve` prints) or #token= (the system Chromium's launch page: a
  // fragment never leaves the browser).
  const fromUrl = new URLSearchParams(location.search).get('token') ?? new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromUrl) {
    sessionStorage.setItem('dosedesk-token', fromUrl);
    // Keep the token out of the address bar (and out of screenshots).
    history.replaceState(null, '', location.pathname + (location.hash.includes('token=') ? '' : location.hash));
    return fromUrl;
  }
  return sessionStorage.getItem('dosedesk-token') ?? '';
}
const TOKEN = window.dosedesk ? '' : token();

export const isElectron = !!window.dosedesk;

export async function invoke<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  if (window.dosedesk) {
    const r = await window.dosedesk.invoke(method, input);
    if (!r.ok) throw new ApiCallError(r.error.error, r.error.kind, r.error.details);
    return JSON.parse(r.json) as Output<M>;
  }
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-dosedesk-token': TOKEN },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { error: string; kind: string; details?: unknown } };
  if (!body.ok) throw new ApiCallError(body.error?.error ?? `HTTP ${res.status}`, body.error?.kind ?? 'internal', body.error?.details);
  return body.result as Output<M>;
}

/** Core events (import progress) from either transport. */
export function onCoreEvent(listener: (e: CoreEvent) => void): () => void {
  if (window.dosedesk) return window.dosedesk.onEvent(listener);
  const es = new EventSource(`/api/events?token=${encodeURIComponent(TOKEN)}`);
  es.onmessage = (m) => listener(JSON.parse(m.data) as CoreEvent);
  return () => es.close();
}

/**
 * Puts files the user chose somewhere the core can read them: in Electron the native dialog gives
 * a path; in the browser the files are uploaded to the host's staging folder. Returns the path to import.
 */
export async function stageFiles(files: File[]): Promise<string> {
  const res = await fetch('/api/stage', { method: 'POST', headers: { 'x-dosedesk-token': TOKEN } });
  const stage = (await res.json()) as { result: { stageId: string; path: string } };
  let importPath = stage.result.path;
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    // A picked folder arrives as "folder/file": kept so, and the folder is what is imported (its name is the snapshot's source).
    const name = rel;
    const put = await fetch(`/api/stage/${stage.result.stageId}/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'x-dosedesk-token': TOKEN },
      body: f,
    });
    const r = (await put.json()) as { ok: boolean; result?: { path: string }; error?: { error: string } };
    if (!r.ok) throw new ApiCallError(r.error?.error ?? 'upload failed', 'invalid-input');
    if (files.length === 1 || rel.includes('/')) importPath = r.result!.path;
  }
  return importPath;
}

export async function pickNative(kind: 'file' | 'folder'): Promise<string | null> {
  return window.dosedesk ? window.dosedesk.pickSnapshot(kind) : null;
}
