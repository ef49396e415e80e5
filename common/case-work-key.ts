/**
 * The key that names a case's working folder in the app's data folder: the first 32 hex digits of the
 * hash of its first audit event. The app's case and its case file share that event (an imported case
 * keeps its trail), so the command line finds from a case file the folder the app made.
 */
export const CASE_WORK_KEY = /^[0-9a-f]{32}$/;

export function caseWorkKey(firstEventHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(firstEventHash)) throw new Error('the case has no audit trail to name its working files by');
  return firstEventHash.slice(0, 32);
}
