/** The longest delay setTimeout takes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The agent's timers lined up with vigil-collector's rounds (a batch of records every COLLECTOR_POLL_MS): a wake-up
 * of an idle Node process costs 150-200 µs of CPU on the benchmark's VMs, and the sensors' drain timers and the
 * spool's flush timer each had a phase of their own, so they woke the agent between rounds. Once rounds come
 * (`driven`), a round runs each timer of the group that is due within `slackMs`, in the round's own wake-up, and a
 * timer that may be late fires `slackMs` after its delay on its own: with a slack of half a round, every round falls
 * in its window. A paced replay of the agent benchmark's capture: 7 timer callbacks in its 79 rounds, against 78.
 * The file sensor's timer is never late (`onTime`): a renamed file is looked at before a delete 300 ms later.
 */
export class Rounds {
  private readonly first: WakeTimer[] = [];
  private readonly last: WakeTimer[] = [];
  /** True once rounds come: without them (bpftrace, /proc) the timers fire on time, as they did. */
  driven = false;

  constructor(readonly slackMs: number) {}

  /** Adds a timer; `last` ones run after the others in a round (the spool's flush, after the drains that fill it). */
  add(timer: WakeTimer, last = false): void {
    (last ? this.last : this.first).push(timer);
  }

  /** How much later than its delay a timer of the group fires on its own. */
  get slack(): number {
    return this.driven ? this.slackMs : 0;
  }

  /** A round came: the timers due within the slack run now. */
  tick(now = Date.now()): void {
    if (!this.driven) return;
    for (const t of this.first) t.runIfDue(now, this.slackMs);
    for (const t of this.last) t.runIfDue(now, this.slackMs);
  }
}

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
   * sleeps until then); called on each wake(). `align.rounds`: the group whose rounds may run this timer early (see
   * Rounds); `align.last` as in Rounds.add; `align.onTime`: never fired late.
   */
  constructor(
    private readonly ms: number | (() => number),
    private readonly tick: () => void,
    private readonly busy: () => boolean,
    private readonly align?: {
      readonly rounds: Rounds | undefined;
      readonly last?: boolean;
      readonly onTime?: boolean;
    },
  ) {
    align?.rounds?.add(this, align.last);
  }

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
    const late = this.align?.onTime ? 0 : (this.align?.rounds?.slack ?? 0);
    this.timer = setTimeout(() => this.run(), Math.min(ms + late, MAX_DELAY_MS));
  }

  /** Runs the tick now when the timer is armed and due within `slackMs` (a round woke the agent). */
  runIfDue(now: number, slackMs: number): void {
    if (this.timer === undefined || now < this.dueAt - slackMs) return;
    clearTimeout(this.timer);
    this.run();
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
