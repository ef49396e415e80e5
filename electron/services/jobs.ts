import { ApiError } from '../../common/api';

/** Running jobs by the id the renderer gave them, so `cancel(jobId)` can abort any long task. */
export class Jobs {
  private readonly running = new Map<string, AbortController>();

  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(jobId)) throw new ApiError('invalid-request', `job ${jobId} is already running`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    c?.abort();
    return !!c;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
