import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentCommand, SignedCommand } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { CommandVerifier } from './command-verifier.js';

const server = generateKeyPairSync('ed25519');
const attacker = generateKeyPairSync('ed25519');
const pem = server.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const NOW = Date.parse('2026-11-29T12:00:00Z');

function command(over: Partial<AgentCommand> = {}): AgentCommand {
  return {
    actionId: 'a-1',
    tenant: 'default',
    deviceId: 'dev-1',
    type: 'Isolate',
    params: { isolationType: 'Full' },
    issuedAt: new Date(NOW - 1000).toISOString(),
    expiresAt: new Date(NOW + 3_600_000).toISOString(),
    nonce: 'n',
    ...over,
  };
}

function signed(c: AgentCommand, key = server.privateKey): SignedCommand {
  const payload = JSON.stringify(c);
  return { payload, signature: sign(null, Buffer.from(payload), key).toString('base64') };
}

describe('CommandVerifier', () => {
  const seenFile = () => join(mkdtempSync(join(tmpdir(), 'vigil-seen-')), 'seen.json');

  it('takes a command signed by the pinned key for this device', () => {
    const v = new CommandVerifier(pem, 'dev-1', seenFile(), () => NOW);
    const r = v.check(signed(command()));
    expect(r.ok && r.command.type).toBe('Isolate');
  });

  it('refuses forged, altered, misaddressed, expired and stale commands', () => {
    const v = new CommandVerifier(pem, 'dev-1', seenFile(), () => NOW);
    expect(v.check(signed(command(), attacker.privateKey))).toEqual({ ok: false, why: 'bad-signature' });
    const s = signed(command());
    expect(v.check({ ...s, payload: s.payload.replace('Isolate', 'Unisolate') }).ok).toBe(false);
    expect(v.check({ ...s, signature: 'not base64 at all' }).ok).toBe(false);
    expect(v.check(signed(command({ deviceId: 'dev-2' })))).toMatchObject({ ok: false, why: 'other-device' });
    expect(v.check(signed(command({ expiresAt: new Date(NOW - 1).toISOString() })))).toMatchObject({ why: 'expired' });
    const stale = command({ issuedAt: new Date(NOW - 5 * 24 * 3_600_000).toISOString() });
    expect(v.check(signed(stale))).toMatchObject({ why: 'expired' });
    const junk = {
      payload: '{"actionId":1}',
      signature: sign(null, Buffer.from('{"actionId":1}'), server.privateKey).toString('base64'),
    };
    expect(v.check(junk)).toEqual({ ok: false, why: 'malformed' });
  });

  it('refuses a replay, also after a restart', () => {
    const file = seenFile();
    const s = signed(command());
    const v = new CommandVerifier(pem, 'dev-1', file, () => NOW);
    const r = v.check(s);
    if (!r.ok) throw new Error('refused');
    v.remember(r.command);
    expect(v.check(s)).toMatchObject({ ok: false, why: 'replayed' });
    expect(new CommandVerifier(pem, 'dev-1', file, () => NOW).check(s)).toMatchObject({ why: 'replayed' });
  });
});
