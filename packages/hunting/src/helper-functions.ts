import type { TableSpec } from '@vigil/schema';
import { child, elements, type KNode } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { buildExpr, call, lit } from './expr-builder.js';
import { helperName, PROFILE_COLUMNS } from './helper-signatures.js';
import type { Expr, KType, NamedExpr, PlanColumn, Rel } from './plan.js';
import { type Scope, withColumns } from './scope.js';

// The plans of Defender's helper functions over our own tables; what each computes is documented in helper-signatures.ts.

const col = (name: string, type: KType, from?: 'left' | 'right'): Expr => ({
  kind: 'column',
  name,
  type,
  ...(from ? { from } : {}),
});

function project(input: Rel, items: readonly (readonly [string, Expr])[]): Rel {
  const named: NamedExpr[] = items.map(([name, expr]) => ({ name, expr }));
  return { kind: 'project', input, items: named, columns: named.map((i) => ({ name: i.name, type: i.expr.type })) };
}

function leftJoin(left: Rel, right: Rel, leftKey: string, rightKey: string): Rel {
  const type = left.columns.find((c) => c.name === leftKey)?.type ?? 'string';
  return {
    kind: 'join',
    join: 'leftouter',
    left,
    right,
    on: [{ left: col(leftKey, type, 'left'), right: col(rightKey, type, 'right') }],
    output: [
      ...left.columns.map((c) => ({ name: c.name, side: 'left' as const, source: c.name })),
      ...right.columns.map((c) => ({ name: c.name, side: 'right' as const, source: c.name })),
    ],
    columns: [...left.columns, ...right.columns],
  };
}

function scan(tables: ReadonlyMap<string, TableSpec>, name: string): Rel {
  const t = tables.get(name);
  if (!t) throw new Error(`the table ${name} is not in the schema`);
  return { kind: 'scan', table: name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/** Builds a helper call; `input` is the piped table of `invoke`. */
export function buildHelper(
  node: KNode,
  scope: Scope,
  tables: ReadonlyMap<string, TableSpec>,
  columns: readonly PlanColumn[],
  input?: Rel,
): Rel {
  const name = helperName(node) ?? '';
  const args = elements(child(node, 'ExpressionList') ?? node);
  const s = withColumns(scope, input?.columns ?? []);
  if (name === 'AssignedIPAddresses') {
    const device = args[0] ? buildExpr(args[0], s) : unsupported('AssignedIPAddresses() without a device', node);
    return assignedIps(tables, device, args[1] ? buildExpr(args[1], s) : undefined);
  }
  if (!input) return unsupported(`${name}() outside invoke`, node, `pipe a table into it: T | invoke ${name}()`);
  const keyArg = args[0] ? buildExpr(args[0], s) : undefined;
  if (name === 'DeviceFromIP') {
    if (!keyArg && !input.columns.some((c) => c.name === 'IP')) {
      return unsupported(
        'DeviceFromIP() on a table without an IP column',
        node,
        'pass the column: DeviceFromIP(LocalIP)',
      );
    }
    const ip = keyArg ?? col('IP', 'string');
    return deviceFromIp(input, tables, ip, args[1] ? buildExpr(args[1], s) : undefined);
  }
  const limitArg = args[1] ? buildExpr(args[1], s) : undefined;
  const limit = limitArg?.kind === 'literal' && typeof limitArg.value === 'number' ? limitArg.value : 100;
  const key = keyArg?.kind === 'column' ? keyArg.name : 'SHA1';
  if (!input.columns.some((c) => c.name === key)) {
    return unsupported(
      `FileProfile() on a table without a ${key} column`,
      node,
      'pass the hash column: FileProfile(SHA256)',
    );
  }
  return fileProfile(input, tables, key, Math.min(1000, Math.max(1, Math.floor(limit))), columns);
}

/** The latest DeviceNetworkInfo report of each device adapter at or before `at`, one row per assigned address. */
function adapterAddresses(tables: ReadonlyMap<string, TableSpec>, device?: Expr, at?: Expr): Rel {
  const dni = scan(tables, 'DeviceNetworkInfo');
  const conds: Expr[] = [];
  if (device) {
    const byName = call('eq_ci', [col('DeviceName', 'string'), device], 'bool');
    conds.push(call('or', [byName, call('eq', [col('DeviceId', 'string'), device], 'bool')], 'bool'));
  }
  if (at) conds.push(call('le', [col('Timestamp', 'datetime'), at], 'bool'));
  const [first, ...rest] = conds;
  const predicate = first ? rest.reduce((a, b) => call('and', [a, b], 'bool'), first) : undefined;
  const filtered: Rel = predicate ? { kind: 'filter', input: dni, predicate, columns: dni.columns } : dni;
  const latest: Rel = {
    kind: 'first-per-group',
    input: filtered,
    partition: [col('DeviceId', 'string'), col('NetworkAdapterName', 'string'), col('MacAddress', 'string')],
    order: [{ expr: col('Timestamp', 'datetime'), desc: true, nullsFirst: false }],
    columns: dni.columns,
  };
  const expanded: Rel = {
    kind: 'expand',
    input: latest,
    column: '__addr',
    expr: call('parse_json', [col('IPAddresses', 'string')], 'dynamic'),
    columns: [...dni.columns, { name: '__addr', type: 'dynamic' }],
  };
  const field = (f: string) =>
    call('tostring', [call('dyn_get', [col('__addr', 'dynamic'), lit(f, 'string')], 'dynamic')], 'string');
  return project(expanded, [
    ['Timestamp', col('Timestamp', 'datetime')],
    ['DeviceId', col('DeviceId', 'string')],
    ['IPAddress', field('IPAddress')],
    ['IPType', field('AddressType')],
    ['NetworkAdapterType', col('NetworkAdapterType', 'string')],
    ['ConnectedNetworks', col('ConnectedNetworks', 'string')],
  ]);
}

function assignedIps(tables: ReadonlyMap<string, TableSpec>, device: Expr, at?: Expr): Rel {
  const rows = adapterAddresses(tables, device, at);
  const keep = ['Timestamp', 'IPAddress', 'IPType', 'NetworkAdapterType', 'ConnectedNetworks'];
  return project(
    rows,
    keep.map((n) => [n, col(n, rows.columns.find((c) => c.name === n)?.type ?? 'string')] as const),
  );
}

function deviceFromIp(input: Rel, tables: ReadonlyMap<string, TableSpec>, ip: Expr, at?: Expr): Rel {
  const ips: Rel = {
    kind: 'aggregate',
    input,
    groups: [{ name: 'IP', expr: call('tostring', [ip], 'string') }],
    aggs: [],
    columns: [{ name: 'IP', type: 'string' }],
  };
  const addresses = adapterAddresses(tables, undefined, at);
  const joined: Rel = {
    kind: 'join',
    join: 'inner',
    left: ips,
    right: addresses,
    on: [{ left: col('IP', 'string', 'left'), right: col('IPAddress', 'string', 'right') }],
    output: [
      { name: 'IP', side: 'left', source: 'IP' },
      { name: 'DeviceId', side: 'right', source: 'DeviceId' },
    ],
    columns: [
      { name: 'IP', type: 'string' },
      { name: 'DeviceId', type: 'string' },
    ],
  };
  return { kind: 'distinct', input: joined, columns: joined.columns };
}

const SIGHTING_TABLES = ['DeviceProcessEvents', 'DeviceFileEvents', 'DeviceImageLoadEvents'];

/** One row per hash: where and when our devices saw it, and its other hashes and size. */
function sightings(tables: ReadonlyMap<string, TableSpec>, keyKind: 'SHA1' | 'SHA256', keys: Rel): Rel {
  const legs = SIGHTING_TABLES.filter((t) => tables.has(t)).map((t) =>
    project(scan(tables, t), [
      ['__k', col(keyKind, 'string')],
      ...(['SHA1', 'SHA256', 'MD5'] as const).map((h) => [h, col(h, 'string')] as const),
      ['FileSize', col('FileSize', 'long')],
      ['DeviceId', col('DeviceId', 'string')],
      ['Timestamp', col('Timestamp', 'datetime')],
    ]),
  );
  const union: Rel = { kind: 'union', inputs: legs, columns: legs[0]?.columns ?? [] };
  const seen: Rel = {
    kind: 'filter',
    input: union,
    // Only the hashes of the enriched rows: the tables hold millions of sightings of other files.
    predicate: call(
      'and',
      [
        call('isnotempty', [col('__k', 'string')], 'bool'),
        call(
          'in',
          [
            col('__k', 'string'),
            { kind: 'list', items: [{ kind: 'subquery', rel: keys, type: 'string' }], type: 'dynamic' },
          ],
          'bool',
        ),
      ],
      'bool',
    ),
    columns: union.columns,
  };
  const agg = (fn: string, arg: Expr, type: KType): Expr => ({ kind: 'agg', fn, args: [arg], type });
  const aggs: NamedExpr[] = [
    { name: '__prevalence', expr: agg('dcount', col('DeviceId', 'string'), 'long') },
    { name: '__first', expr: agg('min', col('Timestamp', 'datetime'), 'datetime') },
    { name: '__last', expr: agg('max', col('Timestamp', 'datetime'), 'datetime') },
    { name: '__sha1', expr: agg('max', col('SHA1', 'string'), 'string') },
    { name: '__sha256', expr: agg('max', col('SHA256', 'string'), 'string') },
    { name: '__md5', expr: agg('max', col('MD5', 'string'), 'string') },
    { name: '__size', expr: agg('max', col('FileSize', 'long'), 'long') },
  ];
  return {
    kind: 'aggregate',
    input: seen,
    groups: [{ name: '__key', expr: col('__k', 'string') }],
    aggs,
    columns: [{ name: '__key', type: 'string' }, ...aggs.map((a) => ({ name: a.name, type: a.expr.type }))],
  };
}

/** The latest certificate facts of each SHA1. */
function certificates(tables: ReadonlyMap<string, TableSpec>): Rel {
  const certs = scan(tables, 'DeviceFileCertificateInfo');
  const latest: Rel = {
    kind: 'first-per-group',
    input: certs,
    partition: [col('SHA1', 'string')],
    order: [{ expr: col('Timestamp', 'datetime'), desc: true, nullsFirst: false }],
    columns: certs.columns,
  };
  return project(latest, [
    ['__c_sha1', col('SHA1', 'string')],
    ['__c_signer', col('Signer', 'string')],
    ['__c_issuer', col('Issuer', 'string')],
    ['__c_signer_hash', col('SignerHash', 'string')],
    ['__c_signed', col('IsSigned', 'bool')],
    ['__c_trusted', col('IsTrusted', 'bool')],
    ['__c_root_ms', col('IsRootSignerMicrosoft', 'bool')],
  ]);
}

function fileProfile(
  input: Rel,
  tables: ReadonlyMap<string, TableSpec>,
  key: string,
  limit: number,
  columns: readonly PlanColumn[],
): Rel {
  const keyKind = /256/.test(key) ? 'SHA256' : 'SHA1';
  // The limited rows are read twice (their hashes, then the join): a materialized CTE makes both see the same rows.
  const limited: Rel = { kind: 'ref', name: '__fp_input', columns: input.columns };
  const keyType = input.columns.find((c) => c.name === key)?.type ?? 'string';
  const keys = project(limited, [['__key_in', col(key, keyType)]]);
  const withProfile = leftJoin(limited, sightings(tables, keyKind, keys), key, '__key');
  const joined = leftJoin(withProfile, certificates(tables), '__sha1', '__c_sha1');
  const have = new Set(input.columns.map((c) => c.name));
  const str = (e: Expr) => call('coalesce_empty', [e], 'string');
  const mine = (n: string, t: KType, theirs: Expr): Expr =>
    have.has(n) ? call('coalesce', [col(n, t), theirs], t) : theirs;
  const signed = col('__c_signed', 'bool');
  const values: Readonly<Record<string, Expr>> = {
    SHA1: str(mine('SHA1', 'string', col('__sha1', 'string'))),
    SHA256: str(mine('SHA256', 'string', col('__sha256', 'string'))),
    MD5: str(mine('MD5', 'string', col('__md5', 'string'))),
    FileSize: mine('FileSize', 'long', col('__size', 'long')),
    GlobalPrevalence: call('coalesce', [col('__prevalence', 'long'), lit(0, 'long')], 'long'),
    GlobalFirstSeen: col('__first', 'datetime'),
    GlobalLastSeen: col('__last', 'datetime'),
    Signer: str(col('__c_signer', 'string')),
    Issuer: str(col('__c_issuer', 'string')),
    SignerHash: str(col('__c_signer_hash', 'string')),
    IsCertificateValid: col('__c_trusted', 'bool'),
    IsRootSignerMicrosoft: col('__c_root_ms', 'bool'),
    SignatureState: {
      kind: 'case',
      whens: [
        [call('isnull', [signed], 'bool'), lit('', 'string')],
        [call('not', [signed], 'bool'), lit('Unsigned', 'string')],
        [call('coalesce', [col('__c_trusted', 'bool'), lit(false, 'bool')], 'bool'), lit('SignedValid', 'string')],
      ],
      otherwise: lit('SignedInvalid', 'string'),
      type: 'string',
    },
    ProfileAvailability: {
      kind: 'case',
      whens: [[call('isnull', [col('__key', 'string')], 'bool'), lit('Missing', 'string')]],
      otherwise: lit('Available', 'string'),
      type: 'string',
    },
  };
  const profileNames = new Set(PROFILE_COLUMNS.map(([n]) => n));
  const body = project(
    joined,
    columns.map((c) => {
      const v = values[c.name];
      if (v) return [c.name, v] as const;
      if (profileNames.has(c.name))
        return [c.name, c.type === 'string' ? lit('', 'string') : lit(null, c.type)] as const;
      return [c.name, col(c.name, c.type)] as const;
    }),
  );
  const rows: Rel = { kind: 'limit', input, count: limit, columns: input.columns };
  return { kind: 'with', ctes: [{ name: '__fp_input', rel: rows, materialize: true }], body, columns: body.columns };
}
