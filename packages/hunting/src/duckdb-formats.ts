import type { SqlContext } from './sql-context.js';

const URL_RE =
  "'^(?:([A-Za-z][A-Za-z0-9+.-]*)://)?(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::([0-9]+))?([^?#]*)(?:[?]([^#]*))?(?:#(.*))?$'";

/** parse_url: the parts of a URL as Kusto names them. */
export function parseUrl(u: string): string {
  const part = (i: number) => `regexp_extract(${u}, ${URL_RE}, ${i})`;
  const query = `map_from_entries(list_transform(list_filter(string_split(${part(7)}, '&'), x -> x <> ''), x -> struct_pack(k := split_part(x, '=', 1), v := url_decode(split_part(x, '=', 2)))))`;
  return `json_object('Scheme', ${part(1)}, 'Host', ${part(4)}, 'Port', ${part(5)}, 'Path', ${part(6)}, 'Username', ${part(2)}, 'Password', ${part(3)}, 'Query Parameters', CAST(to_json(${query}) AS JSON), 'Fragment', ${part(8)})`;
}

/** format_timespan: d, h, m, s and f fields of a duration, with the format's literal separators. */
export function formatTimespan(ts: string, format: string, ctx: SqlContext): string {
  const us = `epoch_us(${ts})`;
  const field: Record<string, string> = {
    d: `CAST(${us} // 86400000000 AS VARCHAR)`,
    h: `CAST((${us} // 3600000000) % 24 AS VARCHAR)`,
    m: `CAST((${us} // 60000000) % 60 AS VARCHAR)`,
    s: `CAST((${us} // 1000000) % 60 AS VARCHAR)`,
    f: `lpad(CAST(${us} % 1000000 AS VARCHAR), 6, '0')`,
  };
  const parts = (format.match(/d+|h+|H+|m+|s+|f+|[^dhHmsf]+/g) ?? []).map((tok) => {
    const key = tok[0]?.toLowerCase() ?? '';
    const f = field[key];
    if (!f) return ctx.bind(tok);
    return key === 'f' ? `left(${f}, ${tok.length})` : `lpad(${f}, ${tok.length}, '0')`;
  });
  return `concat(${parts.join(', ')})`;
}

/** Maps a KQL datetime format (yyyy-MM-dd HH:mm:ss.fff) to strftime. */
export function strftimeFormat(format: string): string {
  const map: Record<string, string> = {
    yyyy: '%Y',
    yy: '%y',
    MM: '%m',
    M: '%-m',
    dd: '%d',
    d: '%-d',
    HH: '%H',
    H: '%-H',
    hh: '%I',
    mm: '%M',
    m: '%-M',
    ss: '%S',
    s: '%-S',
    tt: '%p',
  };
  return format.replace(/yyyy|yy|MM|M|dd|d|HH|H|hh|mm|m|ss|s|tt|f+|[^A-Za-z]+|[A-Za-z]/g, (tok) =>
    tok.startsWith('f') ? '%g' : (map[tok] ?? tok.replaceAll('%', '%%')),
  );
}

/** parse_path: Kusto's parts of a Windows or Unix path. */
export function parsePath(p: string): string {
  const dir = `regexp_extract(${p}, '^(.*)[\\\\/][^\\\\/]*$', 1)`;
  const file = `regexp_extract(${p}, '([^\\\\/]*)$', 1)`;
  const base = `split_part(${file}, ':', 1)`;
  return `json_object('Scheme', regexp_extract(${p}, '^([A-Za-z][A-Za-z0-9+.-]+)://', 1), 'RootPath', regexp_extract(${p}, '^([A-Za-z]:|\\\\\\\\[^\\\\]+\\\\[^\\\\]+|/)', 1), 'DirectoryPath', ${dir}, 'DirectoryName', regexp_extract(${dir}, '([^\\\\/]*)$', 1), 'Filename', ${base}, 'Extension', regexp_extract(${base}, '\\.([^.]*)$', 1), 'AlternateDataStreamName', regexp_extract(${file}, ':(.*)$', 1))`;
}

/** parse_command_line: the arguments of a command line, split on spaces outside double quotes (Windows rules). */
export function parseCommandLine(cmd: string): string {
  return `to_json(list_transform(regexp_extract_all(${cmd}, '"[^"]*"|[^\\s"]+'), x -> replace(x, '"', '')))`;
}

/** The IPv4 address of a text as a number, or null when the text is not one. */
export function ipv4Number(ip: string): string {
  const part = (i: number) => `TRY_CAST(split_part(split_part(${ip}, '/', 1), '.', ${i}) AS BIGINT)`;
  return `(CASE WHEN regexp_matches(${ip}, '^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$') THEN ${part(1)} * 16777216 + ${part(2)} * 65536 + ${part(3)} * 256 + ${part(4)} END)`;
}

/** The prefix length of an IPv4 text (`/n`, else 32), limited by an explicit prefix argument. */
export function ipv4Prefix(ip: string, explicit: string | undefined): string {
  const own = `coalesce(TRY_CAST(nullif(split_part(${ip}, '/', 2), '') AS INTEGER), 32)`;
  return explicit === undefined ? own : `least(${own}, ${explicit})`;
}
