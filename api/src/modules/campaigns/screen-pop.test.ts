import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fillScreenPop, validateScreenPop } from './screen-pop.js';

describe('screen pop-up URL', () => {
  it('is filled from the interaction, encoded so values cannot change the URL', () => {
    const t = 'https://crm.example/contacts?phone={customer.phone}&name={customer.name}';
    assert.equal(fillScreenPop(t, { 'customer.phone': '+15145550100', 'customer.name': 'Ana & Co #1' }), 'https://crm.example/contacts?phone=%2B15145550100&name=Ana%20%26%20Co%20%231');
    assert.equal(fillScreenPop(t, {}), 'https://crm.example/contacts?phone=&name=');
  });

  it('accepts known placeholders in http(s) URLs only', () => {
    assert.equal(validateScreenPop(' https://crm.example/c/{customer.id} '), 'https://crm.example/c/{customer.id}');
    for (const bad of ['https://crm.example/?p={customer.password}', 'javascript:alert(1)//{customer.id}', 'crm.example/{customer.id}', '{customer.phone}']) {
      assert.throws(() => validateScreenPop(bad), (e: { extensions: { code: string } }) => e.extensions.code === 'BAD_USER_INPUT', bad);
    }
  });
});
