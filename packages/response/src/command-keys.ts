import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { SignedCommand } from '@vigil/protocol';
import type { StateStore } from '@vigil/storage';

const SETTING = 'commandSigningKey';

/** The tenant's Ed25519 key that signs commands to agents; created on first use and kept in the state store. */
export class CommandKeys {
  private constructor(
    private readonly privateKey: KeyObject,
    /** SPKI PEM, handed to agents at enrollment. */
    readonly publicKeyPem: string,
  ) {}

  static async open(state: StateStore): Promise<CommandKeys> {
    let pem = await state.getSetting(SETTING);
    if (!pem) {
      const { privateKey } = generateKeyPairSync('ed25519');
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await state.setSetting(SETTING, pem);
    }
    const privateKey = createPrivateKey(pem);
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    return new CommandKeys(privateKey, publicKeyPem);
  }

  sign(payload: string): SignedCommand {
    return { payload, signature: sign(null, Buffer.from(payload), this.privateKey).toString('base64') };
  }
}
