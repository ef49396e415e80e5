import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { RedactorDb } from '../../renderer/store/db';

/**
 * The renderer's database in a unit test (fake-indexeddb). Call once at a test file's top level:
 * every database opened through it is closed and deleted after each test.
 */
export function useTestDatabases(prefix: string): { nextName(): string; open(name: string): RedactorDb } {
  const opened: RedactorDb[] = [];
  let n = 0;
  afterEach(async () => {
    for (const db of opened.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return {
    /** A database name no other test in the file uses. */
    nextName: () => `${prefix}-${++n}`,
    /** Opens the database `name` (again, for a second instance on the same data). */
    open: (name) => {
      const db = new RedactorDb(name);
      opened.push(db);
      return db;
    },
  };
}
