import { type Stats, statSync } from 'node:fs';

/**
 * A path's stat, undefined when there is none or it cannot be taken: not only ENOENT but ENOTDIR (a folder on the
 * path became a file since the event), ELOOP, ENAMETOOLONG, EACCES. Never throws: the sensors look at paths from
 * kernel events inside their timers, where a throw would stop the sweep, and the agent with it.
 */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
