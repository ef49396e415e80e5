/** Stored data that cannot be used (missing, failing its schema, or refused), with a sentence for the user. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The case already holds this footage (same SHA-256), as `existing`. */
export class DuplicateClipError extends StoreError {
  constructor(readonly existing: { id: string; name: string }) {
    super(`already in this case as “${existing.name}” (same SHA-256)`);
    this.name = 'DuplicateClipError';
  }
}
