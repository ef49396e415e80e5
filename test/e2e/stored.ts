import type { Page } from 'playwright-core';
import type { AuditEvent } from '../../common/audit-chain';

/**
 * The app's IndexedDB read and written straight from the test (not through the app's code). Runs in
 * the page, as functions (not strings: the app's CSP forbids eval); Node's typings have no IndexedDB.
 */

/** Every row of one of the app's object stores. */
export async function storedRows<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const req = (globalThis as any).indexedDB.open('evidence-redactor');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result);
          };
          all.onerror = () => reject(all.error);
        };
      }),
    store,
  );
}

/** Puts a row into `store` for the first clip of the case named `caseName` (`clipId` is set to that clip's id). */
export async function putClipRow(page: Page, caseName: string, store: string, row: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ({ caseName, store, row }) =>
      new Promise<void>((resolve, reject) => {
        const req = (globalThis as any).indexedDB.open('evidence-redactor');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['cases', 'clips', store], 'readwrite');
          const cases = tx.objectStore('cases').getAll();
          cases.onsuccess = () => {
            const kase = cases.result.find((c: { name: string }) => c.name === caseName);
            const clips = tx.objectStore('clips').index('caseId').getAll(kase.id);
            clips.onsuccess = () => tx.objectStore(store).put({ ...row, clipId: clips.result[0].id });
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { caseName, store, row },
  );
}

/** The case's audit trail, in sequence. */
export async function storedTrail(page: Page): Promise<AuditEvent[]> {
  const rows = await storedRows<{ seq: number; event: AuditEvent }>(page, 'auditEvents');
  return rows.sort((a, b) => a.seq - b.seq).map((r) => r.event);
}
