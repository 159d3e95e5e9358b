/** Seeded generators of random and adversarial KQL texts for the safety fuzz test. */

/** A small seeded PRNG (mulberry32): the same seed gives the same queries on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A string no compiler would invent: it may reach SQL only through bound parameters. */
export const MARKER = 'Zq9Marker';

/** Hostile payloads; each carries the marker so a leak into the SQL text is visible. */
export const PAYLOADS: readonly string[] = [
  `${MARKER}'; DROP TABLE DeviceProcessEvents; --`,
  `${MARKER}" OR 1=1 --`,
  `${MARKER}') UNION SELECT * FROM duckdb_tables() --`,
  `${MARKER}*/ SELECT 1 /*`,
  `${MARKER}\\' OR ''='`,
  `${MARKER} $1 $2 ?`,
  `${MARKER}'||(SELECT current_setting('threads'))||'`,
  `${MARKER} ü 😀 \u202e 漢字 \u0000x`,
  `${MARKER}\`; ATTACH '/tmp/x.db' AS x; --`,
  `${MARKER}${'A'.repeat(8_000)}`,
  `${MARKER}%_[]^$.*+?(){}|\\`,
  `${MARKER}\n-- comment\n; COPY (SELECT 1) TO '/tmp/x'`,
];

/** A KQL string literal holding exactly `s`. */
export function kqlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\u0000') out += '\\u0000';
    else out += ch;
  }
  return `${out}"`;
}

/** A KQL bracketed identifier holding `s`. */
export function kqlIdent(s: string): string {
  return `['${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', ' ')}']`;
}

/** Queries that place a string literal in every position where user text can go. */
export const LITERAL_TEMPLATES: readonly ((s: string) => string)[] = [
  (s) => `DeviceProcessEvents | where FileName == ${s}`,
  (s) => `DeviceProcessEvents | where FileName =~ ${s} or ProcessCommandLine has ${s}`,
  (s) => `DeviceProcessEvents | where ProcessCommandLine contains ${s} | project FileName`,
  (s) => `DeviceProcessEvents | where FileName startswith ${s} or FileName endswith_cs ${s}`,
  (s) => `DeviceProcessEvents | where FileName in (${s}, "a") or FileName in~ (${s})`,
  (s) => `DeviceProcessEvents | where ProcessCommandLine has_any (${s}, "x") | take 5`,
  (s) => `DeviceProcessEvents | extend x = strcat(${s}, FileName) | project x`,
  (s) => `DeviceProcessEvents | extend x = replace_string(FileName, ${s}, ${s})`,
  (s) => `DeviceProcessEvents | where ProcessCommandLine matches regex ${s}`,
  (s) => `DeviceProcessEvents | extend t = format_datetime(Timestamp, ${s}) | project t`,
  (s) => `DeviceProcessEvents | extend d = parse_json(${s}) | project d`,
  (s) => `DeviceProcessEvents | extend d = tostring(parse_json(AdditionalFields)[${s}])`,
  (s) => `DeviceProcessEvents | extend e = extract(${s}, 0, ProcessCommandLine)`,
  (s) => `datatable(a:string, b:long)[${s}, 1] | where a == ${s}`,
  (s) => `print x = ${s}, y = strlen(${s})`,
  (s) => `let v = ${s}; DeviceNetworkEvents | where RemoteUrl == v`,
  (s) => `DeviceProcessEvents | summarize c = countif(FileName == ${s}) by DeviceName`,
  (s) => `DeviceProcessEvents | parse ProcessCommandLine with * ${s} rest | project rest`,
  (s) => `DeviceFileEvents | where FolderPath has_cs ${s} | summarize dcount(DeviceId)`,
  (s) => `DeviceProcessEvents | where FileName !has ${s} and FileName !contains ${s}`,
  (s) => `DeviceProcessEvents | extend s = split(ProcessCommandLine, ${s})[0]`,
  (s) => `DeviceProcessEvents | extend t = format_timespan(1h, ${s})`,
  (s) => `DeviceProcessEvents | where FileName has_all (${s}) | count`,
  (s) => `DeviceProcessEvents | extend x = iff(FileName == ${s}, ${s}, "") | distinct x`,
];

/** Queries that place a user identifier (column, alias, source column) in the query. */
export const IDENT_TEMPLATES: readonly ((id: string) => string)[] = [
  (id) => `DeviceProcessEvents | extend ${id} = 1 | project ${id}`,
  (id) => `DeviceProcessEvents | project-rename ${id} = FileName | take 1`,
  (id) => `DeviceProcessEvents | summarize ${id} = count() by DeviceName`,
  (id) => `union withsource=${id} DeviceProcessEvents, DeviceNetworkEvents | take 1`,
  (id) => `datatable(${id}:string)["a"] | project ${id}`,
  (id) => `let ${id} = DeviceProcessEvents | take 1; ${id} | count`,
  (id) => `DeviceProcessEvents | extend ${id} = FileName | summarize by ${id}`,
  (id) => `DeviceProcessEvents | where ${id} == 1`,
  (id) => `${id} | take 1`,
];

const WORDS = [
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceFileEvents',
  'DeviceInfo',
  'Nope',
  '|',
  'where',
  'project',
  'extend',
  'summarize',
  'count()',
  'by',
  'join',
  'kind=leftanti',
  'on',
  'union',
  'let',
  'x',
  '=',
  '==',
  '=~',
  '!=',
  'has',
  'contains',
  'in',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  'and',
  'or',
  'not',
  'bin(',
  'Timestamp',
  'ago(1d)',
  '1h',
  'FileName',
  'ProcessCommandLine',
  'DeviceName',
  'DeviceId',
  'RemoteIP',
  'InitiatingProcessFileName',
  '"a"',
  "'b'",
  '1',
  '2.5',
  'dynamic([1,2])',
  'take',
  '10',
  'top',
  'order',
  'asc',
  'desc',
  'mv-expand',
  'parse',
  'with',
  '*',
  'make-series',
  'top-nested',
  'of',
  'invoke',
  'FileProfile()',
  'arg_max(Timestamp, *)',
  'dcount(',
  'make_set(',
  'toscalar(',
  'materialize(',
  'datatable(a:string)["x"]',
  '//c\n',
  '/*',
  '*/',
  '"unterminated',
  '\u00e9',
  'externaldata(a:string)["file:///etc/passwd"]',
  'evaluate',
  'render',
  'timechart',
];

/** A random sequence of KQL keywords, operators and our column names. */
export function tokenSoup(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 25);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] as string);
  return out.join(rand() < 0.8 ? ' ' : '');
}

/** Queries nested or chained deeply. */
export function deepQueries(): string[] {
  const depth = 150;
  return [
    `DeviceProcessEvents | where ${'('.repeat(depth)}FileName == "a"${')'.repeat(depth)}`,
    `DeviceProcessEvents | where ${'not('.repeat(60)}true${')'.repeat(60)}`,
    `DeviceProcessEvents${' | where ProcessId > 1'.repeat(200)}`,
    `print x = ${Array.from({ length: 300 }, (_, i) => i).join(' + ')}`,
    `DeviceProcessEvents | where FileName in (${Array.from({ length: 2000 }, (_, i) => `"f${i}"`).join(', ')})`,
    `${'('.repeat(40)}DeviceProcessEvents${')'.repeat(40)} | count`,
    `DeviceProcessEvents | extend x = ${'strcat('.repeat(50)}"a"${')'.repeat(50)}`,
  ];
}

/** One random change to a real query: cut, duplicate, swap, or insert a hostile literal or token. */
export function mutate(query: string, rand: () => number): string {
  const at = Math.floor(rand() * (query.length + 1));
  const len = Math.floor(rand() * 20);
  const payload = PAYLOADS[Math.floor(rand() * PAYLOADS.length)] as string;
  switch (Math.floor(rand() * 6)) {
    case 0:
      return query.slice(0, at) + query.slice(at + len);
    case 1:
      return query.slice(0, at) + query.slice(at, at + len) + query.slice(at);
    case 2:
      return query.replace(/"[^"\n]*"/, kqlString(payload.slice(0, 200)));
    case 3:
      return `${query.slice(0, at)} ${WORDS[Math.floor(rand() * WORDS.length)]} ${query.slice(at)}`;
    case 4:
      return `${query}\n| where FileName == ${kqlString(payload.slice(0, 200))}`;
    default:
      return query.replaceAll('"', "'");
  }
}
