import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { App } from '../../platform/context.js';
import { StartError } from '../../platform/start-error.js';

/**
 * Provider secrets at rest: AES-256-GCM (authenticated), a fresh 96-bit nonce per seal, the
 * account's id as additional data (a sealed value copied to another account does not open).
 * Sealed text: `v1.<key id>.<base64 nonce|tag|ciphertext>`; the key id (first 4 bytes of the key's
 * SHA-256, hex) names the key that sealed it, so keys can be rotated (see `channelKeys`).
 */
export interface ChannelKeys {
  /** Seals new values. */
  current: Buffer;
  /** Every key that may open a value: the current one first, then retired ones (rotation). */
  all: Buffer[];
}

const SETTING = 'channel_secrets_key';
const loaded = new WeakMap<App, Promise<ChannelKeys>>();

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

function parseKeys(text: string): Buffer[] {
  const keys = text.split(',').map((k) => Buffer.from(k.trim(), 'base64'));
  if (!keys.length || keys.some((k) => k.length !== 32)) {
    throw new StartError('CHANNEL_SECRETS_KEY is not valid', 'Give one or more comma-separated keys of 32 bytes in base64 (openssl rand -base64 32), the current key first.');
  }
  return keys;
}

/**
 * The keys from CHANNEL_SECRETS_KEY ("new,old,...": the first seals, all open), or else one made
 * at first start and kept in `platform_setting`, shared by every instance (like the token secret).
 */
export function channelKeys(app: App): Promise<ChannelKeys> {
  let keys = loaded.get(app);
  if (!keys) {
    keys = (async () => {
      if (app.config.channelSecretsKey) {
        const all = parseKeys(app.config.channelSecretsKey);
        return { current: all[0]!, all };
      }
      const conn = app.orm.em.getConnection();
      await conn.execute('insert into platform_setting (key, value) values (?, ?) on conflict (key) do nothing', [SETTING, randomBytes(32).toString('base64')]);
      const [row] = await conn.execute<{ value: string }[]>('select value from platform_setting where key = ?', [SETTING]);
      const key = Buffer.from(row!.value, 'base64');
      return { current: key, all: [key] };
    })();
    keys.catch(() => loaded.delete(app));
    loaded.set(app, keys);
  }
  return keys;
}

export function seal(key: Buffer, plaintext: string, accountId: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(accountId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${keyId(key)}.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Opens a sealed value with whichever key sealed it; throws when no key matches or it was altered. */
export function unseal(keys: ChannelKeys, sealed: string, accountId: string): string {
  const [version, id, data] = sealed.split('.');
  const key = keys.all.find((k) => keyId(k) === id);
  if (version !== 'v1' || !key || !data) throw new Error('channel secrets sealed with an unknown key: is CHANNEL_SECRETS_KEY missing a retired key?');
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(accountId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Whether a sealed value was sealed with the current key (else `resealAll` rewrites it). */
export const sealedWithCurrent = (keys: ChannelKeys, sealed: string) => sealed.split('.')[1] === keyId(keys.current);
