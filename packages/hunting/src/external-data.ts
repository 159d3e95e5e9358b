import { child, elements, type KNode, nameText } from './checked-tree.js';
import { CompileError } from './compile-error.js';
import { sourceText } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import { parseStringToken } from './literals.js';
import type { Rel } from './plan.js';

const FORMATS = new Set(['csv', 'tsv', 'txt', 'json', 'multijson', 'scsv', 'psv']);

/** Resolves `..` and `.` in a POSIX path. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Maps a source URI to a file inside the allowed folder, or explains why it may not be read. */
export function allowedFile(uri: string, allowedDir: string | undefined, at: KNode): string {
  if (!allowedDir) {
    throw new CompileError(
      'HUNT_EXTERNALDATA_OFF',
      'externaldata is off: the admin has not named a folder it may read',
      at.start,
      at.end,
      'start the server with --externaldata-dir DIR (or pass it to vigil hunt) and put the files there',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.toLowerCase().startsWith('file://')) {
    throw new CompileError(
      'HUNT_EXTERNALDATA_REMOTE',
      `externaldata reads only local files in ${allowedDir}; ${uri.split('?')[0]} is not fetched`,
      at.start,
      at.end,
      `download the file into ${allowedDir} and name it by its file name`,
    );
  }
  const base = normalize(allowedDir);
  const raw = uri.replace(/^file:\/\//i, '');
  const path = normalize(raw.startsWith('/') ? raw : `${base}/${raw}`);
  if (!path.startsWith(`${base}/`)) {
    throw new CompileError(
      'HUNT_EXTERNALDATA_OUTSIDE',
      `${uri} is outside the allowed folder ${allowedDir}`,
      at.start,
      at.end,
    );
  }
  return path;
}

/** `externaldata (schema) [uris] with (format=…, ignoreFirstRecord=…)` over files of the allowed folder. */
export function buildExternalData(node: KNode, allowedDir: string | undefined): Rel {
  const uris = node.children
    .filter((c) => c.kind === 'List')
    .flatMap((l) => elements(l))
    .filter((e) => e.kind === 'StringLiteralExpression' || e.kind === 'CompoundStringLiteralExpression')
    .map((e) => parseStringToken(e.children.find((t) => t.isToken)?.text ?? '""', e));
  const options: Record<string, string> = {};
  const withClause = child(node, 'ExternalDataWithClause');
  for (const p of withClause ? elements(withClause) : []) {
    const name = child(p, 'NameDeclaration');
    const value = p.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1);
    if (name && value)
      options[nameText(name).toLowerCase()] = sourceText(value)
        .replace(/^["']|["']$/g, '')
        .toLowerCase();
  }
  const format = options.format ?? 'csv';
  if (!FORMATS.has(format)) {
    throw new CompileError(
      'HUNT_EXTERNALDATA_FORMAT',
      `externaldata format "${format}" is not supported`,
      node.start,
      node.end,
      [...FORMATS].join(', '),
    );
  }
  const files = uris.map((u) => allowedFile(u, allowedDir, node));
  return {
    kind: 'external',
    files,
    format,
    ignoreFirstRecord: options.ignorefirstrecord === 'true',
    columns: planColumns(node.columns),
  };
}
