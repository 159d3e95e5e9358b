import { SingleBar } from 'cli-progress';

/** A progress bar on a terminal's stderr; silent when stderr is not a terminal. */
export interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

/** Makes a byte progress bar. */
export function progressBar(): Progress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: '{label} [{bar}] {percentage}% | {value}/{total} bytes',
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total, label) {
      if (!started) {
        bar.start(total, 0, { label });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
