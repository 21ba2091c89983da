import type { Permission, Role } from './permissions.js';

/** Who is calling. Built once per request (or per WebSocket connection) by the authenticator. */
export type Principal =
  | { kind: 'operator'; userId: string; sessionId: string }
  | {
      kind: 'user';
      tenantId: string;
      userId: string;
      role: Role;
      sessionId: string;
      permissions: ReadonlySet<Permission>;
    }
  | { kind: 'apiKey'; tenantId: string; apiKeyId: string; permissions: ReadonlySet<Permission> };

export type TenantPrincipal = Extract<Principal, { tenantId: string }>;
