/** The installed Electron binary under `root`/node_modules/electron, or null when there is none. */
export function electronBinary(root: string): string | null;
