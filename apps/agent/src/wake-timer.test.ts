import { describe, expect, it } from 'vitest';
import { WakeTimer } from './wake-timer.js';

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
});
