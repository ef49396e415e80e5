/** Stored data that cannot be used (missing, failing its schema, or refused), with a sentence for the user. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
