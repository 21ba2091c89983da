import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asE164, callerNumber } from './numbers.js';

describe('SIP numbers', () => {
  it('gives every spelling of an international caller the one stored spelling', () => {
    // each of these once reached an agent although +34911000666 was blacklisted, or missed its contact
    for (const user of ['+34911000666', '0034911000666', '34911000666', '+34-911-000-666', '%2B34911000666', 'tel:+34-911-000-666',
      'sip:0034911000666@carrier.invalid', '+34(911)000666']) {
      assert.equal(callerNumber(user), '+34911000666', user);
      assert.equal(asE164(user), '+34911000666', user);
    }
  });

  it('keeps national numbers national and refuses what is no number', () => {
    assert.equal(callerNumber('0911000666'), '0911000666');
    assert.equal(asE164('0911000666'), null, 'a national number is no DID');
    for (const user of ['', undefined, 'anonymous', 'Anonymous', 'restricted', 'a1b2c3d4e5f6', '12']) assert.equal(callerNumber(user), null, String(user));
    assert.equal(asE164('123'), null);
  });
});
