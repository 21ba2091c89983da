import type { Em } from '../../platform/db/orm.js';
import { badInput, notFound, unauthenticated } from '../../platform/errors.js';
import { assertWithinCaller } from './grants.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { opaqueToken, sha256 } from '../../platform/auth/tokens.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { ApiKey } from './api-key.entity.js';
import { API_KEY_PREFIX } from './auth.service.js';
import type { CreateApiKeyInput } from './identity.input.js';
import { User } from './user.entity.js';

export const listApiKeys = (em: Em, tenantId: string, page: PageArgs) => paginate(em, ApiKey, { tenant: tenantId }, page);

/**
 * The person a new key answers to: its creator, or, when a key creates a key, the person behind
 * that key. A key's rights are checked against this person's current rights on every request.
 */
async function ownerOf(em: Em, creator: TenantPrincipal): Promise<string> {
  if (creator.kind === 'user') return creator.userId;
  const [parent] = await em.getConnection().execute<{ created_by_id: string | null }[]>(
    'select created_by_id from api_key where id = ? and tenant_id = ?',
    [creator.apiKeyId, creator.tenantId],
  );
  if (!parent?.created_by_id) throw unauthenticated('This API key has no owner; ask an administrator for a new one');
  return parent.created_by_id;
}

/** Creates a key whose scopes are at most the creator's own rights. The secret is returned once. */
export async function createApiKey(em: Em, creator: TenantPrincipal, input: CreateApiKeyInput) {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw badInput('Give the key at least one scope', 'scopes');
  assertWithinCaller(creator, scopes);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future', 'expiresAt');
  const owner = await ownerOf(em, creator);
  const secret = opaqueToken(API_KEY_PREFIX);
  const apiKey = em.create(ApiKey, {
    tenant: em.getReference(Tenant, creator.tenantId),
    name: input.name,
    prefix: secret.slice(0, 12),
    secretHash: sha256(secret),
    scopes,
    createdBy: em.getReference(User, owner),
    expiresAt: input.expiresAt ?? null,
  });
  await em.flush();
  return { apiKey, secret };
}

export async function revokeApiKey(em: Em, tenantId: string, id: string): Promise<ApiKey> {
  const key = await em.findOne(ApiKey, { id, tenant: tenantId });
  if (!key) throw notFound('API key');
  key.revokedAt ??= new Date();
  await em.flush();
  return key;
}
