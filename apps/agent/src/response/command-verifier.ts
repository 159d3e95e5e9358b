import { verify } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type AgentCommand, parseAgentCommand, type SignedCommand } from '@vigil/protocol';

/** Why a command was refused; the agent logs it and never runs the command. */
export type Refusal = 'bad-signature' | 'malformed' | 'other-device' | 'expired' | 'replayed';

/** Commands older than this are refused even when their expiry is later (a stolen command stays useless). */
const MAX_AGE_MS = 4 * 24 * 3_600_000;

/**
 * Checks commands from the server: Ed25519 signature by the tenant key pinned at enrollment, addressed to this
 * device, not expired, never seen before. Seen action ids are kept on disk until they expire, so a replay is
 * refused across restarts too.
 */
export class CommandVerifier {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly publicKeyPem: string,
    private readonly deviceId: string,
    private readonly seenFile: string,
    private readonly now: () => number = Date.now,
  ) {
    if (existsSync(seenFile)) {
      try {
        const stored = JSON.parse(readFileSync(seenFile, 'utf8')) as Record<string, number>;
        for (const [id, until] of Object.entries(stored)) this.seen.set(id, until);
      } catch {
        // A damaged file only loses replay memory for commands that are checked against their expiry anyway.
      }
    }
  }

  check(signed: SignedCommand): { ok: true; command: AgentCommand } | { ok: false; why: Refusal; actionId?: string } {
    let good = false;
    try {
      good = verify(null, Buffer.from(signed.payload), this.publicKeyPem, Buffer.from(signed.signature, 'base64'));
    } catch {
      good = false;
    }
    if (!good) return { ok: false, why: 'bad-signature' };
    const command = parseAgentCommand(signed.payload);
    if (!command) return { ok: false, why: 'malformed' };
    const actionId = command.actionId;
    if (command.deviceId !== this.deviceId) return { ok: false, why: 'other-device', actionId };
    const now = this.now();
    const expires = Date.parse(command.expiresAt);
    const issued = Date.parse(command.issuedAt);
    if (!(expires > now) || !(now - issued < MAX_AGE_MS)) return { ok: false, why: 'expired', actionId };
    if (this.seen.has(actionId)) return { ok: false, why: 'replayed', actionId };
    return { ok: true, command };
  }

  /** Records that a command was taken, before it runs. */
  remember(command: AgentCommand): void {
    const now = this.now();
    for (const [id, until] of this.seen) if (until < now) this.seen.delete(id);
    this.seen.set(command.actionId, Math.max(Date.parse(command.expiresAt), now + 60_000));
    const tmp = `${this.seenFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.seen)), { mode: 0o600 });
    renameSync(tmp, this.seenFile);
  }
}
