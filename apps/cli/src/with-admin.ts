import type { AdminOps } from '@vigil/runtime';
import { SocketAdmin } from './socket-admin.js';

/**
 * Runs admin work on a data dir: through the running server's admin socket when a server holds the dir, else
 * directly on the files (DuckDB allows one process per file).
 */
export async function withAdmin<T>(
  dataDir: string,
  work: (ops: AdminOps, via: 'server' | 'files') => Promise<T>,
): Promise<T> {
  const { runningServerInfo } = await import('@vigil/server');
  const info = runningServerInfo(dataDir);
  if (info) return work(new SocketAdmin(info.socket), 'server');
  const { DataDir, LocalAdmin } = await import('@vigil/runtime');
  const data = new DataDir(dataDir);
  try {
    return await work(new LocalAdmin(data), 'files');
  } finally {
    await data.close();
  }
}
