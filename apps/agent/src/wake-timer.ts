/**
 * A timer that runs only while there is work: `wake()` (an event came) arms it, and after each tick it is armed
 * again as long as `busy()` says work is left. An idle agent is not woken every few ms by sensors with nothing
 * queued (at 25 and 50 ms, their timers were most of an idle agent's CPU).
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ms: number,
    private readonly tick: () => void,
    private readonly busy: () => boolean,
  ) {}

  /** Arms the timer unless it is armed (or stopped). */
  wake(): void {
    if (this.timer === undefined && !this.stopped) this.timer = setTimeout(() => this.run(), this.ms);
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
