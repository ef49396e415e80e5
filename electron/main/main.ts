import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { API_CHANNELS, type ApiEvent } from '../../common/api';
import { killAllRuns } from '../../engine/ffmpeg/run';
import { AppServices } from '../services/app-services';
import { handleAppRequest } from '../services/app-server';
import { FileRegistry } from '../services/file-registry';
import { APP_ENTRY, APP_SCHEME, applySessionPolicy, hardenWebContents, isAppUrl, webPreferences } from './security';
import { loadWindowState, saveWindowState } from './window-state';
import { CrashReloads } from './crash-reload';

/**
 * Electron's main process: one window, the app's own protocol, and the API behind one IPC channel.
 * All real work is in `electron/services/` (plain Node), shared with the end-to-end harness.
 */
const ROOT = join(__dirname, '..', '..', '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const PRELOAD = join(__dirname, '..', 'preload', 'preload.js');

// The packaged app ships ffmpeg beside its resources; engine/ffmpeg/resolve.ts honours this.
if (app.isPackaged && !process.env.REDACTOR_BUNDLED_BIN) process.env.REDACTOR_BUNDLED_BIN = join(process.resourcesPath, 'bin');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, corsEnabled: true } }]);

let mainWindow: BrowserWindow | null = null;

function createWindow(services: AppServices): BrowserWindow {
  const statePath = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(statePath);
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 960,
    minHeight: 600,
    title: 'Evidence Redactor',
    backgroundColor: '#1b1d21',
    show: false,
    webPreferences: webPreferences(PRELOAD),
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(statePath, { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
    services.jobs.cancelAll();
  });
  const crashes = new CrashReloads();
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit') return;
    console.error(`the app page's process ended (${details.reason}, exit code ${details.exitCode}); reloading it`);
    if (crashes.shouldReload(Date.now())) win.reload();
    else dialog.showErrorBox('Evidence Redactor', `The app page keeps failing (${details.reason}). Your edits up to the last change are saved; restart the app.`);
  });
  void win.loadURL(APP_ENTRY);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  const files = new FileRegistry(join(app.getPath('userData'), 'opened-files.json'));
  const services = new AppServices(files, {
    chooseVideos: async () => {
      const r = await dialog.showOpenDialog(mainWindow!, {
        title: 'Import footage',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Video', extensions: ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'mts', 'm2ts', 'ts', 'wmv'] }, { name: 'All files', extensions: ['*'] }],
      });
      return r.canceled ? [] : r.filePaths;
    },
    chooseExportPath: async (suggestedName) => {
      // Case files and audit trails are JSON; everything else the app saves is an MP4.
      const json = suggestedName.endsWith('.json');
      const r = await dialog.showSaveDialog(mainWindow!, {
        title: json ? 'Save' : 'Export redacted copy',
        defaultPath: suggestedName,
        filters: [json ? { name: 'JSON', extensions: ['json'] } : { name: 'MP4 video', extensions: ['mp4'] }],
        // Replacing a file is asked here on every platform (Linux asks only when told to); the services
        // then replace it, and never an original.
        properties: ['showOverwriteConfirmation'],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    chooseCaseFile: async () => {
      const r = await dialog.showOpenDialog(mainWindow!, { title: 'Import case file', properties: ['openFile'], filters: [{ name: 'Case file', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    showInFolder: (path) => shell.showItemInFolder(path),
    mediaUrl: (token) => `${APP_SCHEME}://app/media/${token}`,
    emit: (event: ApiEvent) => mainWindow?.webContents.send(API_CHANNELS.event, event),
    dataDir: app.getPath('userData'),
    modelPath: app.isPackaged ? join(process.resourcesPath, 'models', 'yunet_n_dynamic.onnx') : undefined,
    textModelPath: app.isPackaged ? join(process.resourcesPath, 'models', 'ch_PP-OCRv4_det_infer.onnx') : undefined,
  });

  applySessionPolicy(session.defaultSession);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response(null, { status: 404 });
    const r = handleAppRequest(files, RENDERER_DIR, { method: request.method, pathname: url.pathname, range: request.headers.get('range') });
    const body = r.body ? (Readable.toWeb(r.body) as unknown as ReadableStream) : null;
    return new Response(body, { status: r.status, headers: r.headers });
  });

  // Every message arrives here, from the app's own page only, and is validated by the services.
  const fromApp = (event: IpcMainInvokeEvent) => !!event.senderFrame && isAppUrl(event.senderFrame.url);
  ipcMain.handle(API_CHANNELS.invoke, (event, method: unknown, request: unknown) => {
    if (!fromApp(event)) return { ok: false, error: { code: 'invalid-request', message: 'refused: not from the app page' } };
    return services.invoke(method, request);
  });
  ipcMain.on(API_CHANNELS.drop, (event, paths: unknown) => {
    if (event.senderFrame && isAppUrl(event.senderFrame.url)) services.registerDropped(paths);
  });

  mainWindow = createWindow(services);
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow(services);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    services.jobs.cancelAll();
    killAllRuns();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => mainWindow?.focus());
  main().catch((err: unknown) => {
    dialog.showErrorBox('Evidence Redactor could not start', (err as Error)?.message ?? String(err));
    app.exit(1);
  });
}
