import type { Em } from '../../platform/db/orm.js';
import { notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { AccountContact, type AccountContactType } from './account-contact.entity.js';
import type { AccountContactInput } from './identity.input.js';

export const listContacts = (em: Em, tenantId: string, type?: AccountContactType) =>
  em.find(AccountContact, { tenant: tenantId, ...(type && { type }) }, { orderBy: { id: 'asc' } });

export async function getContact(em: Em, tenantId: string, id: string): Promise<AccountContact> {
  const contact = await em.findOne(AccountContact, { id, tenant: tenantId });
  if (!contact) throw notFound('Account contact');
  return contact;
}

export async function createContact(em: Em, tenantId: string, input: AccountContactInput): Promise<AccountContact> {
  const contact = em.create(AccountContact, {
    tenant: em.getReference(Tenant, tenantId),
    type: input.type,
    name: input.name,
    email: input.email.trim().toLowerCase(),
    phone: input.phone ?? null,
  });
  await em.flush();
  return contact;
}

export async function updateContact(em: Em, tenantId: string, id: string, input: AccountContactInput): Promise<AccountContact> {
  const contact = await getContact(em, tenantId, id);
  em.assign(contact, { type: input.type, name: input.name, email: input.email.trim().toLowerCase(), phone: input.phone ?? null });
  await em.flush();
  return contact;
}

export async function deleteContact(em: Em, tenantId: string, id: string): Promise<string> {
  const contact = await getContact(em, tenantId, id);
  await em.remove(contact).flush();
  return id;
}
