import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { seal, sealedWithCurrent, unseal } from './secrets.js';

describe('channel secrets sealing', () => {
  const old = randomBytes(32);
  const fresh = randomBytes(32);
  const account = '01a2530c-3721-79d2-ba2a-cb35bb5581a6';

  it('opens what it sealed, with the key that sealed it, after rotation too', () => {
    const sealed = seal(old, 'auth-token', account);
    assert.ok(!sealed.includes('auth-token'));
    assert.notEqual(seal(old, 'auth-token', account), sealed, 'a fresh nonce each time');
    assert.equal(unseal({ current: old, all: [old] }, sealed, account), 'auth-token');
    const rotated = { current: fresh, all: [fresh, old] };
    assert.equal(unseal(rotated, sealed, account), 'auth-token');
    assert.equal(sealedWithCurrent(rotated, sealed), false);
    assert.equal(sealedWithCurrent(rotated, seal(fresh, 'x', account)), true);
  });

  it('refuses a value moved to another account, altered, or sealed with a key it no longer has', () => {
    const sealed = seal(old, 'auth-token', account);
    assert.throws(() => unseal({ current: old, all: [old] }, sealed, '01a2530c-3721-79d2-ba2a-000000000000'));
    const [v, id, data] = sealed.split('.');
    const raw = Buffer.from(data!, 'base64');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => unseal({ current: old, all: [old] }, `${v}.${id}.${raw.toString('base64')}`, account));
    assert.throws(() => unseal({ current: fresh, all: [fresh] }, sealed, account), /unknown key/);
  });
});
