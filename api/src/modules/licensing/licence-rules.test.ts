import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deployment } from '../tenants/tenant.entity.js';
import { LicenceKind } from './licence.entity.js';
import { LicenceRule, licenceViolations, type LicenceTerms, type PolicyRules } from './licence-rules.js';

const CLOUD: PolicyRules = { minSeats: 5, seatStep: 1, minTermMonths: 1, allowsPbxUsers: true };
const ON_PREMISES: PolicyRules = { minSeats: 10, seatStep: 5, minTermMonths: 1, allowsPbxUsers: false };
const UCONTACT: PolicyRules = { minSeats: 10, seatStep: 1, minTermMonths: 36, allowsPbxUsers: false };

const terms = (t: Partial<LicenceTerms>): LicenceTerms => ({
  kind: LicenceKind.VOICE, seats: 10, termMonths: 36, aiConnection: false, pbxUsers: 0, chatbotLicences: 0, ...t,
});
const rules = (...args: Parameters<typeof licenceViolations>) => licenceViolations(...args).map((v) => v.rule);

describe('licence rules', () => {
  it('cloud: at least 5 seats in steps of 1', () => {
    assert.deepEqual(rules(terms({ seats: 4 }), CLOUD, Deployment.CLOUD), [LicenceRule.SEATS_MINIMUM]);
    for (const seats of [5, 6, 7, 101]) assert.deepEqual(rules(terms({ seats }), CLOUD, Deployment.CLOUD), []);
  });

  it('on-premises: at least 10 seats in steps of 5', () => {
    assert.deepEqual(rules(terms({ seats: 5 }), ON_PREMISES, Deployment.ON_PREMISES), [LicenceRule.SEATS_MINIMUM]);
    assert.deepEqual(rules(terms({ seats: 12 }), ON_PREMISES, Deployment.ON_PREMISES), [LicenceRule.SEATS_STEP]);
    for (const seats of [10, 15, 20]) assert.deepEqual(rules(terms({ seats }), ON_PREMISES, Deployment.ON_PREMISES), []);
  });

  it('uContact: at least 10 agents and a 36-month term', () => {
    assert.deepEqual(rules(terms({ seats: 10, termMonths: 12 }), UCONTACT, Deployment.CLOUD), [LicenceRule.TERM_MINIMUM]);
    assert.deepEqual(rules(terms({ seats: 9, termMonths: 36 }), UCONTACT, Deployment.CLOUD), [LicenceRule.SEATS_MINIMUM]);
    assert.deepEqual(rules(terms({ seats: 11, termMonths: 36 }), UCONTACT, Deployment.CLOUD), []);
  });

  it('upgrades VOICE to OMNI but never downgrades', () => {
    assert.deepEqual(rules(terms({ kind: LicenceKind.OMNI }), CLOUD, Deployment.CLOUD, { kind: LicenceKind.VOICE }), []);
    assert.deepEqual(rules(terms({ kind: LicenceKind.VOICE }), CLOUD, Deployment.CLOUD, { kind: LicenceKind.OMNI }), [
      LicenceRule.KIND_DOWNGRADE,
    ]);
  });

  it('sells PBX users only in the cloud', () => {
    assert.deepEqual(rules(terms({ pbxUsers: 3 }), CLOUD, Deployment.CLOUD), []);
    assert.deepEqual(rules(terms({ pbxUsers: 3 }), CLOUD, Deployment.ON_PREMISES), [LicenceRule.PBX_USERS_CLOUD_ONLY]);
    assert.deepEqual(rules(terms({ pbxUsers: 3 }), ON_PREMISES, Deployment.CLOUD), [LicenceRule.PBX_USERS_CLOUD_ONLY]);
  });

  it('needs OMNI for chatbots and the AI connection', () => {
    assert.deepEqual(rules(terms({ chatbotLicences: 1 }), CLOUD, Deployment.CLOUD), [LicenceRule.OMNI_REQUIRED]);
    assert.deepEqual(rules(terms({ aiConnection: true }), CLOUD, Deployment.CLOUD), [LicenceRule.OMNI_REQUIRED]);
    assert.deepEqual(rules(terms({ kind: LicenceKind.OMNI, chatbotLicences: 2, aiConnection: true }), CLOUD, Deployment.CLOUD), []);
  });

  it('reports every violation at once', () => {
    assert.deepEqual(
      rules(terms({ seats: 3, termMonths: 12, pbxUsers: 1, chatbotLicences: 1 }), UCONTACT, Deployment.ON_PREMISES, { kind: LicenceKind.OMNI }),
      [LicenceRule.SEATS_MINIMUM, LicenceRule.TERM_MINIMUM, LicenceRule.KIND_DOWNGRADE, LicenceRule.PBX_USERS_CLOUD_ONLY, LicenceRule.OMNI_REQUIRED],
    );
  });
});
