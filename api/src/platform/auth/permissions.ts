import { registerEnumType } from 'type-graphql';

/**
 * What a caller may do inside its tenant. Roles grant a default set; security groups narrow it
 * for supervisors and administrators; API keys carry an explicit subset as their scopes.
 */
export enum Permission {
  TENANT_READ = 'TENANT_READ',
  TENANT_MANAGE = 'TENANT_MANAGE',
  USERS_READ = 'USERS_READ',
  USERS_MANAGE = 'USERS_MANAGE',
  SECURITY_GROUPS_MANAGE = 'SECURITY_GROUPS_MANAGE',
  ACCOUNT_CONTACTS_MANAGE = 'ACCOUNT_CONTACTS_MANAGE',
  SESSIONS_MANAGE = 'SESSIONS_MANAGE',
  API_KEYS_MANAGE = 'API_KEYS_MANAGE',
  LICENCE_READ = 'LICENCE_READ',
  EVENTS_SUBSCRIBE = 'EVENTS_SUBSCRIBE',
  /** See the tenant's support tickets. */
  TICKETS_READ = 'TICKETS_READ',
  /** File and comment on support tickets (change requests need an ADMINISTRATOR). */
  TICKETS_FILE = 'TICKETS_FILE',
  /** Buy, change and cancel licences through Stripe (financial effect: administrators only). */
  BILLING_MANAGE = 'BILLING_MANAGE',
  CAMPAIGNS_READ = 'CAMPAIGNS_READ',
  CAMPAIGNS_MANAGE = 'CAMPAIGNS_MANAGE',
  CONTACTS_READ = 'CONTACTS_READ',
  CONTACTS_MANAGE = 'CONTACTS_MANAGE',
  BLACKLIST_MANAGE = 'BLACKLIST_MANAGE',
  AGENT_STATE_SET = 'AGENT_STATE_SET',
  AGENTS_MONITOR = 'AGENTS_MONITOR',
  INTERACTIONS_READ = 'INTERACTIONS_READ',
  INTERACTIONS_HANDLE = 'INTERACTIONS_HANDLE',
  /** Intervene in other agents' interactions (hang up a call). */
  INTERACTIONS_INTERVENE = 'INTERACTIONS_INTERVENE',
  /** SIP trunks and phone numbers (DIDs). */
  TELEPHONY_MANAGE = 'TELEPHONY_MANAGE',
  /** Digital channel accounts (SMS, Telegram) and their provider secrets. */
  CHANNELS_MANAGE = 'CHANNELS_MANAGE',
}

registerEnumType(Permission, {
  name: 'Permission',
  description: 'A right inside a tenant; also the scopes of an API key.',
});

export enum Role {
  AGENT = 'AGENT',
  SUPERVISOR = 'SUPERVISOR',
  ADMINISTRATOR = 'ADMINISTRATOR',
  PLATFORM_OPERATOR = 'PLATFORM_OPERATOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'AGENT handles interactions; SUPERVISOR monitors; ADMINISTRATOR runs the tenant; PLATFORM_OPERATOR runs the platform.',
});

const ALL = Object.values(Permission);

/** Default rights of each tenant role, before security groups narrow them. */
export const ROLE_PERMISSIONS: Record<Exclude<Role, Role.PLATFORM_OPERATOR>, ReadonlySet<Permission>> = {
  [Role.AGENT]: new Set([
    Permission.TENANT_READ,
    Permission.EVENTS_SUBSCRIBE,
    Permission.TICKETS_READ,
    Permission.TICKETS_FILE,
    Permission.CAMPAIGNS_READ,
    Permission.CONTACTS_READ,
    Permission.CONTACTS_MANAGE,
    Permission.AGENT_STATE_SET,
    Permission.INTERACTIONS_READ,
    Permission.INTERACTIONS_HANDLE,
  ]),
  [Role.SUPERVISOR]: new Set([
    Permission.TENANT_READ,
    Permission.USERS_READ,
    Permission.SESSIONS_MANAGE,
    Permission.LICENCE_READ,
    Permission.EVENTS_SUBSCRIBE,
    Permission.TICKETS_READ,
    Permission.TICKETS_FILE,
    Permission.CAMPAIGNS_READ,
    Permission.CONTACTS_READ,
    Permission.CONTACTS_MANAGE,
    Permission.AGENTS_MONITOR,
    Permission.INTERACTIONS_READ,
    Permission.INTERACTIONS_INTERVENE,
  ]),
  [Role.ADMINISTRATOR]: new Set(ALL),
};

/** Roles whose rights a security group may narrow. */
export const NARROWABLE_ROLES: ReadonlySet<Role> = new Set([Role.SUPERVISOR, Role.ADMINISTRATOR]);

/**
 * Effective rights of a tenant user: the role's defaults, intersected with the union of the
 * user's security groups when the role is narrowable and the user belongs to at least one group.
 * TENANT_READ is never taken away: a signed-in user can always see which tenant it is in.
 */
export function effectivePermissions(role: Role, groups: readonly (readonly Permission[])[]): Set<Permission> {
  if (role === Role.PLATFORM_OPERATOR) return new Set();
  const base = ROLE_PERMISSIONS[role];
  if (!NARROWABLE_ROLES.has(role) || groups.length === 0) return new Set(base);
  const allowed = new Set(groups.flat());
  allowed.add(Permission.TENANT_READ);
  return new Set([...base].filter((p) => allowed.has(p)));
}
