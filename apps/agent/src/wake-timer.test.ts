import { describe, expect, it } from 'vitest';
import { Rounds, WakeTimer } from './wake-timer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WakeTimer', () => {
  it('ticks while work is left, then stays quiet until woken', async () => {
    let work = 3;
    let ticks = 0;
    const t = new WakeTimer(
      5,
      () => {
        ticks++;
        work--;
      },
      () => work > 0,
    );
    expect(t.armed).toBe(false);
    t.wake();
    t.wake(); // armed already: one timer
    await sleep(100);
    expect(ticks).toBe(3);
    expect(t.armed).toBe(false);
    work = 1;
    t.wake();
    await sleep(50);
    expect(ticks).toBe(4);
    t.wake();
    t.stop();
    await sleep(30);
    expect(ticks).toBe(4);
    t.wake();
    expect(t.armed).toBe(false);
  });

  it('sleeps as long as its delay function says, and is armed again sooner when woken for sooner work', async () => {
    let soon = false;
    let ticks = 0;
    const t = new WakeTimer(
      () => (soon ? 5 : 60_000),
      () => {
        ticks++;
        soon = false;
      },
      () => false,
    );
    t.wake();
    await sleep(50);
    expect(ticks).toBe(0);
    soon = true;
    t.wake();
    await sleep(100);
    expect(ticks).toBe(1);
    expect(t.armed).toBe(false);
    t.stop();
  });

  it('sleeps at most as long as setTimeout can, without a warning, for a delay of Infinity', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    let ticks = 0;
    const t = new WakeTimer(
      () => Number.POSITIVE_INFINITY,
      () => ticks++,
      () => false,
    );
    t.wake();
    await sleep(50);
    process.off('warning', onWarning);
    expect(warnings.map((w) => w.name)).toEqual([]);
    expect(ticks).toBe(0);
    expect(t.armed).toBe(true);
    t.stop();
  });

  it('runs in the rounds of its group once due within the slack, the last ones after the others', () => {
    const rounds = new Rounds(500);
    const ran: string[] = [];
    const t0 = Date.now();
    const flush = new WakeTimer(
      2500,
      () => ran.push('flush'),
      () => false,
      { rounds, last: true },
    );
    const drain = new WakeTimer(
      1000,
      () => ran.push('drain'),
      () => true,
      { rounds },
    );
    flush.wake();
    drain.wake();
    rounds.tick(t0 + 700); // not driven: rounds run nothing
    expect(ran).toEqual([]);
    rounds.driven = true;
    rounds.tick(t0 + 100); // the drain is due in 900 ms: not yet
    expect(ran).toEqual([]);
    rounds.tick(t0 + 700); // the drain is due within the slack; the flush in 1800 ms
    expect(ran).toEqual(['drain']);
    expect(drain.armed).toBe(true); // busy: armed again, due a second from now
    rounds.tick(t0 + 2300); // both due within the slack: the flush after the drain
    expect(ran).toEqual(['drain', 'drain', 'flush']);
    expect(flush.armed).toBe(false);
    drain.stop();
  });

  it('fires on its own, the slack late, when no round comes, unless it is to be on time', async () => {
    const rounds = new Rounds(1000);
    rounds.driven = true;
    const fired = async (onTime: boolean) => {
      let ticks = 0;
      const t = new WakeTimer(
        10,
        () => ticks++,
        () => false,
        { rounds, onTime },
      );
      const t0 = Date.now();
      t.wake();
      while (ticks === 0) await sleep(5);
      t.stop();
      return Date.now() - t0;
    };
    expect(await fired(false)).toBeGreaterThanOrEqual(1005);
    expect(await fired(true)).toBeLessThan(1000);
  });
});
