/**
 * A window of messages in flight: a sender takes a credit before each message and the receiver
 * gives one back when it has taken the message in. A worker that holds millions of warnings
 * sends them while the main thread is busy elsewhere; without the window they would all wait
 * in the main thread's message queue, in memory.
 */
export class Credit {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a window of ${size} messages`);
    this.free = size;
  }

  /** Resolves when a credit is free, and takes it. */
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A message was taken in: its credit goes to the first sender waiting, else back to the window. */
  give(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.free++;
  }

  /** Credits not taken. */
  get available(): number {
    return this.free;
  }
}
