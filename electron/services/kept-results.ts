/**
 * Results of long jobs by job id, kept past the call that started them. A renderer that reloads (or
 * crashes and is reloaded) while a job runs loses the reply to its call, but not the job: main goes on
 * with it, and the new page asks here for the result by the job id it had stored. Running jobs are kept
 * until they end; of the finished ones, only the latest few (a result may never be asked for again).
 */
export class KeptResults<T> {
  private readonly results = new Map<string, Promise<{ value: T } | { error: unknown }>>();
  private readonly finished: string[] = [];

  constructor(private readonly keepFinished = 8) {}

  /** Keeps `job`'s outcome under `jobId`; returns `job` itself, for the caller that started it. */
  keep(jobId: string, job: Promise<T>): Promise<T> {
    // A job id still running stays the first job's (Jobs.run refuses the second); a finished one is reused.
    const finishedAt = this.finished.indexOf(jobId);
    if (this.results.has(jobId) && finishedAt < 0) return job;
    if (finishedAt >= 0) this.finished.splice(finishedAt, 1);
    // Settled into a value here, so a failure nobody asks about is never an unhandled rejection.
    const settled = job.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    this.results.set(jobId, settled);
    void settled.then(() => this.finish(jobId));
    return job;
  }

  /** The job's result (waiting while it runs; its error if it failed), or undefined if no such job is known. */
  async get(jobId: string): Promise<T | undefined> {
    const kept = this.results.get(jobId);
    if (!kept) return undefined;
    const outcome = await kept;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /** Forgets every finished result (a case was deleted: its detections must not be handed out again). */
  clear(): void {
    for (const id of this.finished.splice(0)) this.results.delete(id);
  }

  private finish(jobId: string): void {
    this.finished.push(jobId);
    while (this.finished.length > this.keepFinished) this.results.delete(this.finished.shift()!);
  }
}
