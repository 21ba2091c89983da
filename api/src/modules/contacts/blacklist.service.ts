import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';
import { BlacklistEntry, BlacklistMatch } from './blacklist.entity.js';
import type { BlacklistEntryInput } from './contact.input.js';
import { IdentifierKind, normaliseIdentifier, normalisePrefix } from './identifiers.js';

export const listBlacklist = (em: Em, tenantId: string, page: PageArgs) => paginate(em, BlacklistEntry, { tenant: tenantId }, page);

export async function addBlacklistEntry(em: Em, caller: TenantPrincipal, input: BlacklistEntryInput): Promise<BlacklistEntry> {
  const value =
    input.match === BlacklistMatch.PREFIX ? normalisePrefix(input.kind, input.value) : normaliseIdentifier(input.kind, input.value);
  const tenantId = caller.tenantId;
  if (await em.count(BlacklistEntry, { tenant: tenantId, kind: input.kind, match: input.match, value })) {
    throw new AppError(ErrorCode.CONFLICT, `${input.kind} ${value} is already on the blacklist`, { field: 'value' });
  }
  const entry = em.create(BlacklistEntry, {
    tenant: em.getReference(Tenant, tenantId),
    kind: input.kind,
    match: input.match,
    value,
    reason: input.reason ?? null,
    createdBy: caller.kind === 'user' ? em.getReference(User, caller.userId) : null,
  });
  await em.flush();
  return entry;
}

export async function removeBlacklistEntry(em: Em, tenantId: string, id: string): Promise<string> {
  const entry = await em.findOne(BlacklistEntry, { id, tenant: tenantId });
  if (!entry) throw notFound('Blacklist entry');
  await em.remove(entry).flush();
  return id;
}

/**
 * The entry that refuses any of these (already normalised) identifiers, or null. Every channel
 * asks this before an interaction is created. Phone numbers also match WHATSAPP entries and the
 * other way round: it is the same number.
 */
export async function blacklistMatch(
  em: Em,
  tenantId: string,
  identifiers: readonly { kind: IdentifierKind; value: string }[],
): Promise<BlacklistEntry | null> {
  const phoneKinds = [IdentifierKind.PHONE, IdentifierKind.WHATSAPP];
  for (const { kind, value } of identifiers) {
    const kinds = phoneKinds.includes(kind) ? phoneKinds : [kind];
    const [row] = await em.getConnection().execute<{ id: string }[]>(
      `select id from blacklist_entry
        where tenant_id = ? and kind in (${kinds.map(() => '?').join(', ')})
          and ((match = 'EXACT' and value = ?) or (match = 'PREFIX' and starts_with(?, value)))
        limit 1`,
      [tenantId, ...kinds, value, value],
    );
    if (row) return em.findOneOrFail(BlacklistEntry, { id: row.id, tenant: tenantId });
  }
  return null;
}
