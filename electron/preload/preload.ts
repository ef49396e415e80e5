import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiEnvelope, ApiEvent, RedactorBridge } from '../../common/api';

/**
 * Sandboxed preload: it may load only `electron`, so the channel names are literals here; a unit test
 * checks them against API_CHANNELS in common/api.ts. It exposes exactly one object, `window.redactor`:
 * a transport for the typed API, nothing of Node or Electron.
 */
const INVOKE = 'redactor:invoke';
const EVENT = 'redactor:event';
const DROP = 'redactor:drop';

const bridge: RedactorBridge & { dropFiles(files: File[]): void } = {
  invoke: (method: string, request: unknown) => ipcRenderer.invoke(INVOKE, method, request) as Promise<ApiEnvelope<unknown>>,
  onEvent: (listener: (event: ApiEvent) => void) => {
    const wrapped = (_e: unknown, event: ApiEvent) => listener(event);
    ipcRenderer.on(EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped);
    };
  },
  // Only a real dropped File has a path; a File made in script has none, so the page cannot name paths.
  dropFiles: (files: File[]) => {
    const paths = Array.from(files, (f) => webUtils.getPathForFile(f)).filter((p) => p);
    if (paths.length) ipcRenderer.send(DROP, paths);
  },
};

contextBridge.exposeInMainWorld('redactor', bridge);
