/**
 * At most `running` jobs of one kind at a time in this process (or Worker isolate), at most `waiting` more in line;
 * beyond that a job is refused at once. Issue 17: a 50,000-member import holds ~100 MiB while it parses, validates
 * and writes, so three sent together took three times that; in line, they take one's, and the line's length bounds
 * what the waiting requests hold (their bodies).
 */
export class WorkQueue {
  private active = 0;
  private readonly line: (() => void)[] = [];

  constructor(private readonly limits: { running: number; waiting: number }) {}

  /** Runs `job` when a place is free; `undefined` (the job not run) when the line is full. */
  async run<T>(job: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.active >= this.limits.running) {
      if (this.line.length >= this.limits.waiting) return undefined;
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.active++;
    }
    try {
      return { value: await job() };
    } finally {
      // The place passes straight to the next in line, so `active` never drops below while jobs wait.
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }

  get size(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.line.length };
  }
}
