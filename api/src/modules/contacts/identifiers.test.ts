import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdentifierKind, normaliseIdentifier, normalisePhone, normalisePrefix, phoneOrNull } from './identifiers.js';

describe('identifier normalisation', () => {
  it('writes phone numbers one way', () => {
    for (const raw of ['+1 514 555 0100', '+1 (514) 555-0100', '001 514 555 0100', '+1.514.555.0100']) {
      assert.equal(normaliseIdentifier(IdentifierKind.PHONE, raw), '+15145550100', raw);
    }
    assert.equal(normaliseIdentifier(IdentifierKind.WHATSAPP, '514-555-0100'), '5145550100');
    for (const bad of ['call me', '12', '+1 514 555 0100 9999 999', '1+514', '']) {
      assert.throws(() => normaliseIdentifier(IdentifierKind.PHONE, bad), (e: { extensions: { code: string } }) => e.extensions.code === 'BAD_USER_INPUT', bad);
    }
  });

  it('reads numbers out of tel: and sip: URIs and %-escapes, with the 00 prefix as +', () => {
    const spellings = ['0034911000666', '00 34 911 000 666', '+34 (911) 000-666', '+34.911.000.666', 'tel:+34-911-000-666',
      'tel:+34911000666;phone-context=+34', 'sip:0034911000666@carrier.invalid;user=phone', 'sips:+34911000666@carrier.invalid',
      'SIP:+34-911-000-666;isub=1@carrier.invalid', '%2B34%20911%20000%20666', ' 0034-911-000-666 '];
    for (const raw of spellings) assert.equal(normalisePhone(raw), '+34911000666', raw);
    assert.equal(phoneOrNull('sip:anonymous@anonymous.invalid'), null);
    assert.equal(phoneOrNull(''), null);
    assert.equal(phoneOrNull('tel:'), null);
    assert.equal(phoneOrNull('100%'), null);
    assert.equal(normalisePrefix(IdentifierKind.PHONE, 'tel:00-34-911'), '+34911');
  });

  it('lower-cases e-mail addresses and keeps handles as given', () => {
    assert.equal(normaliseIdentifier(IdentifierKind.EMAIL, '  Ana@Example.COM '), 'ana@example.com');
    assert.throws(() => normaliseIdentifier(IdentifierKind.EMAIL, 'not-an-address'));
    assert.equal(normaliseIdentifier(IdentifierKind.FACEBOOK, ' 1234567890 '), '1234567890');
    assert.throws(() => normaliseIdentifier(IdentifierKind.WEBCHAT, 'two words'));
  });

  it('normalises blacklist prefixes', () => {
    assert.equal(normalisePrefix(IdentifierKind.PHONE, '+1 900'), '+1900');
    assert.equal(normalisePrefix(IdentifierKind.PHONE, '00 33'), '+33');
    assert.equal(normalisePrefix(IdentifierKind.EMAIL, 'Spam'), 'spam');
    assert.throws(() => normalisePrefix(IdentifierKind.PHONE, 'abc'));
  });
});
