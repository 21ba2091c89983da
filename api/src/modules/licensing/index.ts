export { Licence, LicenceKind, LicenceStatus } from './licence.entity.js';
export { LicencePolicy } from './licence-policy.entity.js';
export { acquireSeat, checkTerms, expireGracePeriods, getLicence, seatsInUse, setLicence, setLicenceStanding, type LicenceStanding } from './licence.service.js';
export { licenceViolations, type LicenceTerms, type LicenceViolation } from './licence-rules.js';
export { LicenceAddOnsType, LicenceType, LicenceViolationType } from './licence.type.js';
export { LicenceResolver } from './licence.resolver.js';
export { LicenceTermsInput } from './licence.input.js';
export { LICENCE_CHANGED } from './licence.events.js';
