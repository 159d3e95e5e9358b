// Where `npm run build -w @vigil/portal` puts the portal; the server serves this folder at `/`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the built portal (index.html and assets/). */
export const portalAssetsDir = join(dirname(fileURLToPath(import.meta.url)), 'dist');

/** True when the portal has been built. */
export function portalBuilt() {
  return existsSync(join(portalAssetsDir, 'index.html'));
}
