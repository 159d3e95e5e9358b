import { child, type KNode, nameText } from './checked-tree.js';
import type { KType } from './plan.js';

/**
 * Defender's built-in hunting functions, computed from the tenant's own data:
 * - `invoke FileProfile([hash column = SHA1] [, max rows = 100])` enriches at most that many rows (1–1000). From our
 *   tables: GlobalPrevalence (distinct devices that saw the hash in DeviceProcessEvents, DeviceFileEvents and
 *   DeviceImageLoadEvents), GlobalFirstSeen/GlobalLastSeen, the missing hashes and size, and from the latest
 *   DeviceFileCertificateInfo row of the SHA1: Signer, Issuer, SignerHash, IsCertificateValid (= IsTrusted),
 *   IsRootSignerMicrosoft and SignatureState (Unsigned, SignedValid, SignedInvalid). ProfileAvailability is
 *   Available when the hash was seen, else Missing. IsExecutable, ThreatName, Publisher and SoftwareName need
 *   Microsoft's cloud: null or empty.
 * - `invoke DeviceFromIP([IP column = IP] [, time])`: the devices whose latest DeviceNetworkInfo report per adapter
 *   (at or before the time, when given) lists the IP address; columns IP and DeviceId.
 * - `AssignedIPAddresses(device name or id [, time])`: the addresses of the device's latest report per adapter.
 */
export const HELPER_FUNCTIONS = ['FileProfile', 'DeviceFromIP', 'AssignedIPAddresses'] as const;

/** A helper's signature for Kusto's binder: its parameters and a body that gives the binder its output columns. */
export interface HelperSignature {
  readonly name: string;
  readonly tabularInput: boolean;
  /** Scalar parameters after the piped table (all optional): name and Kusto type. */
  readonly params: readonly { readonly name: string; readonly type: 'string' | 'long' | 'datetime' }[];
  readonly body: string;
}

export const PROFILE_COLUMNS: readonly (readonly [string, KType])[] = [
  ['SHA1', 'string'],
  ['SHA256', 'string'],
  ['MD5', 'string'],
  ['FileSize', 'long'],
  ['GlobalPrevalence', 'long'],
  ['GlobalFirstSeen', 'datetime'],
  ['GlobalLastSeen', 'datetime'],
  ['Signer', 'string'],
  ['Issuer', 'string'],
  ['SignerHash', 'string'],
  ['IsCertificateValid', 'bool'],
  ['IsRootSignerMicrosoft', 'bool'],
  ['SignatureState', 'string'],
  ['IsExecutable', 'bool'],
  ['ThreatName', 'string'],
  ['Publisher', 'string'],
  ['SoftwareName', 'string'],
  ['ProfileAvailability', 'string'],
];

const kqlNull = (t: KType) => (t === 'string' ? '""' : `${t}(null)`);

/** The signatures registered with Kusto's binder. */
export const HELPER_SIGNATURES: readonly HelperSignature[] = [
  {
    name: 'FileProfile',
    tabularInput: true,
    params: [
      { name: 'x', type: 'string' },
      { name: 'y', type: 'long' },
    ],
    body: `{ T | extend ${PROFILE_COLUMNS.map(([n, t]) => `${n} = ${kqlNull(t)}`).join(', ')} }`,
  },
  {
    name: 'DeviceFromIP',
    tabularInput: true,
    params: [
      { name: 'x', type: 'string' },
      { name: 'y', type: 'datetime' },
    ],
    body: '{ datatable(IP:string, DeviceId:string)[] }',
  },
  {
    name: 'AssignedIPAddresses',
    tabularInput: false,
    params: [
      { name: 'x', type: 'string' },
      { name: 'y', type: 'datetime' },
    ],
    body: '{ datatable(Timestamp:datetime, IPAddress:string, IPType:string, NetworkAdapterType:string, ConnectedNetworks:string)[] }',
  },
];

/**
 * True when a binder problem is a column named as an argument of a helper under `invoke`: Kusto binds invoke
 * arguments outside the row scope, while Defender's helpers take a column of the piped table (`FileProfile(SHA1)`).
 */
export function isHelperColumnArgument(root: KNode, offset: number, message: string): boolean {
  const name = /The name '([^']+)' does not refer to any known column/.exec(message)?.[1];
  if (name === undefined) return false;
  let ok = false;
  const walk = (n: KNode) => {
    if (n.isToken || offset < n.start || offset > n.end) return;
    if (n.kind === 'PipeExpression') {
      const [input, op] = n.children.filter((c) => !c.isToken);
      const fn = op?.kind === 'InvokeOperator' ? child(op, 'FunctionCallExpression') : undefined;
      const list = fn ? child(fn, 'ExpressionList') : undefined;
      if (fn && list && helperName(fn) && offset >= list.start && input?.columns?.some((c) => c.name === name))
        ok = true;
    }
    for (const c of n.children) walk(c);
  };
  walk(root);
  return ok;
}

/** The helper a function call names, if any. */
export function helperName(node: KNode): string | undefined {
  const nameNode = node.children.find((c) => !c.isToken && c.kind !== 'ExpressionList');
  const name = nameNode ? nameText(nameNode) : '';
  return (HELPER_FUNCTIONS as readonly string[]).includes(name) ? name : undefined;
}
