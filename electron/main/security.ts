import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../services/app-server';

/**
 * The window and session policy as data, after Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security). A unit test checks these values without
 * launching Electron; main.ts applies exactly these. Type-only import: loadable in plain Node.
 */
export const APP_SCHEME = 'redactor';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY };

export function webPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    // A middle click on a link would otherwise open it as a new window (Electron checklist, 'auxclick').
    disableBlinkFeatures: 'Auxclick',
  };
}

/** Only the app's own origin may be loaded; everything else is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/** What a request may load: the app's origin, and data/blob URLs the page made itself. */
export function isLocalUrl(url: string): boolean {
  return isAppUrl(url) || url.startsWith('data:') || url.startsWith(`blob:${APP_ORIGIN}/`) || url.startsWith('devtools://');
}

/** Permissions the app grants: none (no camera, microphone, geolocation, notifications...). */
export const GRANTED_PERMISSIONS: readonly string[] = [];

/** Denies every permission request and check, and blocks every request that is not the app's own. */
export function applySessionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(GRANTED_PERMISSIONS.includes(permission)));
  session.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.includes(permission));
  session.setDevicePermissionHandler(() => false);
  // No network: any request that is not to the app's origin (or DevTools) is cancelled.
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isLocalUrl(details.url);
    callback({ cancel: !allowed });
  });
}

/** Blocks navigation away from the app, new windows, and webviews for one web contents. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
