import { contextBridge, ipcRenderer } from 'electron';
import type { CoreEvent, Input, MethodName } from '../../shared/contract';

// The preload exposes one typed client of the contract and nothing else (the renderer is sandboxed).

export interface DoseDeskBridge {
  /** The answer as JSON text (parsed by the page: renderer/src/api.ts). */
  invoke<M extends MethodName>(method: M, input: Input<M>): Promise<{ ok: true; json: string } | { ok: false; error: { error: string; kind: string } }>;
  onEvent(listener: (e: CoreEvent) => void): () => void;
  pickSnapshot(kind: 'file' | 'folder'): Promise<string | null>;
}

const bridge: DoseDeskBridge = {
  invoke: (method, input) => ipcRenderer.invoke(`api:${method}`, input),
  onEvent(listener) {
    const fn = (_e: unknown, ev: CoreEvent) => listener(ev);
    ipcRenderer.on('core:event', fn);
    return () => ipcRenderer.removeListener('core:event', fn);
  },
  pickSnapshot: (kind) => ipcRenderer.invoke('dialog:pickSnapshot', kind),
};

contextBridge.exposeInMainWorld('dosedesk', bridge);
