import type { Logger } from '@nestjs/common';

/**
 * Runs a task every `intervalMs` after the previous run has ended (so two runs never overlap), logs a
 * failed run as a warning and carries on, until stop(). The timer is unref'd: it never keeps the
 * process alive. The task's own error text goes through `describe` (e.g. to redact it).
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly logger: Logger,
    private readonly failure: string,
    private readonly task: () => Promise<unknown>,
    private readonly describe: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err)),
  ) {}

  start(intervalMs: number): void {
    this.stopped = false;
    this.schedule(intervalMs);
  }

  /** No further run starts; a run under way is the owner's to wait for. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(intervalMs: number): void {
    this.timer = setTimeout(() => {
      this.task()
        .catch((err: unknown) => this.logger.warn(`${this.failure}: ${this.describe(err)}`))
        .finally(() => {
          if (!this.stopped) this.schedule(intervalMs);
        });
    }, intervalMs);
    this.timer.unref();
  }
}
