export { Licence, LicenceKind } from './licence.entity.js';
export { LicencePolicy } from './licence-policy.entity.js';
export { acquireSeat, getLicence, seatsInUse, setLicence } from './licence.service.js';
export { LicenceResolver } from './licence.resolver.js';
export { LicenceTermsInput } from './licence.input.js';
export { LICENCE_CHANGED } from './licence.events.js';
