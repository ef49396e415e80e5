import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The window's size, position and maximised state, kept between runs. */
export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };

export function loadWindowState(path: string): WindowState {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<WindowState>;
    const ok = (n: unknown, min: number) => typeof n === 'number' && Number.isFinite(n) && n >= min && n < 100_000;
    return {
      width: ok(s.width, 400) ? s.width! : DEFAULT_WINDOW_STATE.width,
      height: ok(s.height, 300) ? s.height! : DEFAULT_WINDOW_STATE.height,
      ...(ok(s.x, -100_000) && ok(s.y, -100_000) ? { x: s.x!, y: s.y! } : {}),
      maximized: s.maximized === true,
    };
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

export function saveWindowState(path: string, state: WindowState): void {
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(state));
    renameSync(`${path}.tmp`, path);
  } catch {
    // Losing the window size is not worth an error.
  }
}
