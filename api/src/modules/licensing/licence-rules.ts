import { Deployment } from '../tenants/tenant.entity.js';
import { LicenceKind } from './licence.entity.js';

/** The parts of a licence that the rules look at. */
export interface LicenceTerms {
  kind: LicenceKind;
  seats: number;
  termMonths: number;
  aiConnection: boolean;
  pbxUsers: number;
  chatbotLicences: number;
}

export interface PolicyRules {
  minSeats: number;
  seatStep: number;
  minTermMonths: number;
  allowsPbxUsers: boolean;
}

export enum LicenceRule {
  SEATS_MINIMUM = 'SEATS_MINIMUM',
  SEATS_STEP = 'SEATS_STEP',
  TERM_MINIMUM = 'TERM_MINIMUM',
  KIND_DOWNGRADE = 'KIND_DOWNGRADE',
  PBX_USERS_CLOUD_ONLY = 'PBX_USERS_CLOUD_ONLY',
  OMNI_REQUIRED = 'OMNI_REQUIRED',
}

export interface LicenceViolation {
  rule: LicenceRule;
  message: string;
}

/**
 * Checks proposed licence terms against the tenant's policy and current licence
 * (DOMAIN.md "Licences"). Returns every violation, not just the first, so a quote can show them all.
 * Kinds cannot mix by construction: a tenant has one licence with one kind for all its seats.
 */
export function licenceViolations(
  proposed: LicenceTerms,
  policy: PolicyRules,
  deployment: Deployment,
  current?: Pick<LicenceTerms, 'kind'>,
): LicenceViolation[] {
  const v: LicenceViolation[] = [];
  if (proposed.seats < policy.minSeats) {
    v.push({ rule: LicenceRule.SEATS_MINIMUM, message: `At least ${policy.minSeats} seats are required` });
  } else if ((proposed.seats - policy.minSeats) % policy.seatStep !== 0) {
    v.push({
      rule: LicenceRule.SEATS_STEP,
      message: `Seats go in steps of ${policy.seatStep} from ${policy.minSeats} (e.g. ${policy.minSeats}, ${policy.minSeats + policy.seatStep})`,
    });
  }
  if (proposed.termMonths < policy.minTermMonths) {
    v.push({ rule: LicenceRule.TERM_MINIMUM, message: `The term is at least ${policy.minTermMonths} months` });
  }
  if (current?.kind === LicenceKind.OMNI && proposed.kind === LicenceKind.VOICE) {
    v.push({ rule: LicenceRule.KIND_DOWNGRADE, message: 'An OMNI licence cannot be downgraded to VOICE' });
  }
  if (proposed.pbxUsers > 0 && (deployment !== Deployment.CLOUD || !policy.allowsPbxUsers)) {
    v.push({ rule: LicenceRule.PBX_USERS_CLOUD_ONLY, message: 'PBX users are only sold with the cloud deployment' });
  }
  if (proposed.kind === LicenceKind.VOICE && (proposed.chatbotLicences > 0 || proposed.aiConnection)) {
    v.push({ rule: LicenceRule.OMNI_REQUIRED, message: 'Chatbots and the AI connection need an OMNI licence' });
  }
  return v;
}
