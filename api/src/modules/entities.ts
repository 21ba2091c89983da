import { PlatformSetting } from '../platform/db/platform-setting.entity.js';
import { AccountContact } from './identity/account-contact.entity.js';
import { ApiKey } from './identity/api-key.entity.js';
import { SecurityGroup, SecurityGroupMember } from './identity/security-group.entity.js';
import { Session } from './identity/session.entity.js';
import { User } from './identity/user.entity.js';
import { Licence } from './licensing/licence.entity.js';
import { LicencePolicy } from './licensing/licence-policy.entity.js';
import { Tenant } from './tenants/tenant.entity.js';

/** Every entity the ORM knows. A new module adds its entities here and a migration. */
export const entities = [
  PlatformSetting,
  LicencePolicy,
  Tenant,
  Licence,
  User,
  SecurityGroup,
  SecurityGroupMember,
  AccountContact,
  Session,
  ApiKey,
];
