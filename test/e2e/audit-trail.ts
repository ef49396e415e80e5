import type { Page } from 'playwright-core';
import type { AuditEvent } from '../../common/audit-chain';

/** The case's audit trail, read straight from the page's IndexedDB (not through the app's code). */
export async function storedTrail(page: Page): Promise<AuditEvent[]> {
  return page.evaluate(
    () =>
      new Promise<AuditEvent[]>((resolve, reject) => {
        // Runs in the page; Node's typings have no IndexedDB.
        const req = (globalThis as any).indexedDB.open('evidence-redactor');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('auditEvents').objectStore('auditEvents').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as Array<{ seq: number; event: AuditEvent }>).sort((a, b) => a.seq - b.seq).map((r) => r.event));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}
