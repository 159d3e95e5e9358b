/** The longest delay setTimeout takes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * A timer that runs only while there is work: `wake()` (an event came) arms it, and after each tick it is armed
 * again as long as `busy()` says work is left. An idle agent is not woken every few ms by sensors with nothing
 * queued (at 25 and 50 ms, their timers were most of an idle agent's CPU).
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** When the armed timer fires (Date.now() time). */
  private dueAt = 0;

  /**
   * `ms` is the delay, or a function that gives it from the work there is (a sensor whose work is due in seconds
   * sleeps until then); called on each wake().
   */
  constructor(
    private readonly ms: number | (() => number),
    private readonly tick: () => void,
    private readonly busy: () => boolean,
  ) {}

  /** Arms the timer unless it is armed to fire sooner (or stopped). */
  wake(): void {
    if (this.stopped || (this.timer !== undefined && typeof this.ms === 'number')) return;
    // setTimeout takes at most 2^31 - 1 ms (beyond, Node warns and waits 1 ms): a delay of Infinity sleeps that long.
    const ms = Math.min(typeof this.ms === 'number' ? this.ms : this.ms(), MAX_DELAY_MS);
    const at = Date.now() + ms;
    if (this.timer !== undefined) {
      if (at >= this.dueAt) return;
      clearTimeout(this.timer);
    }
    this.dueAt = at;
    this.timer = setTimeout(() => this.run(), ms);
  }

  private run(): void {
    this.timer = undefined;
    this.tick();
    if (this.busy()) this.wake();
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
