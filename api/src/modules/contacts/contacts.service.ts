import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../platform/errors.js';
import { paginate } from '../../platform/connection.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Contact, ContactIdentifier } from './contact.entity.js';
import { ContactNote } from './contact-note.entity.js';
import type { ContactIdentifierInput, ContactsArgs, CreateContactInput } from './contact.input.js';
import type { ContactType } from './contact.type.js';
import { IdentifierKind, normaliseIdentifier } from './identifiers.js';

export const toContactType = (c: Contact): ContactType => ({ id: c.id, name: c.name ?? null, createdAt: c.createdAt });

export async function getContact(em: Em, tenantId: string, id: string): Promise<Contact> {
  const contact = await em.findOne(Contact, { id, tenant: tenantId });
  if (!contact) throw notFound('Contact');
  return contact;
}

const normalised = (identifiers: readonly ContactIdentifierInput[]) =>
  identifiers.map((i, n) => ({ kind: i.kind, value: normaliseIdentifier(i.kind, i.value, `identifiers[${n}].value`) }));

/** Refuses identifiers that already belong to another contact of the tenant (merge them instead). */
async function assertFree(tx: Em, tenantId: string, identifiers: { kind: IdentifierKind; value: string }[], contactId?: string) {
  if (!identifiers.length) return;
  const taken = await tx.find(ContactIdentifier, { tenant: tenantId, $or: identifiers.map((i) => ({ kind: i.kind, value: i.value })) });
  const other = taken.find((t) => t.contact.id !== contactId);
  if (other) {
    throw new AppError(ErrorCode.CONFLICT, `${other.kind} ${other.value} already belongs to another contact; merge the two instead`, {
      field: 'identifiers',
      contactId: other.contact.id,
    });
  }
}

export async function createContact(em: Em, tenantId: string, input: CreateContactInput): Promise<Contact> {
  const identifiers = normalised(input.identifiers ?? []);
  return em.transactional(async (tx) => {
    await assertFree(tx, tenantId, identifiers);
    const contact = tx.create(Contact, { tenant: tx.getReference(Tenant, tenantId), name: input.name?.trim() || null });
    const seen = new Set<string>();
    for (const i of identifiers) {
      if (seen.has(`${i.kind}:${i.value}`)) continue;
      seen.add(`${i.kind}:${i.value}`);
      tx.create(ContactIdentifier, { tenant: tenantId, contact, kind: i.kind, value: i.value });
    }
    return contact;
  });
}

export async function renameContact(em: Em, tenantId: string, id: string, name: string | null): Promise<Contact> {
  const contact = await getContact(em, tenantId, id);
  contact.name = name?.trim() || null;
  await em.flush();
  return contact;
}

export async function addIdentifier(em: Em, tenantId: string, contactId: string, input: ContactIdentifierInput): Promise<Contact> {
  const [identifier] = normalised([input]);
  return em.transactional(async (tx) => {
    const contact = await getContact(tx, tenantId, contactId);
    await assertFree(tx, tenantId, [identifier], contactId);
    const exists = await tx.count(ContactIdentifier, { tenant: tenantId, contact: contactId, ...identifier });
    if (!exists) tx.create(ContactIdentifier, { tenant: tenantId, contact, ...identifier });
    return contact;
  });
}

export async function removeIdentifier(em: Em, tenantId: string, identifierId: string): Promise<Contact> {
  const identifier = await em.findOne(ContactIdentifier, { id: identifierId, tenant: tenantId }, { populate: ['contact'] });
  if (!identifier) throw notFound('Contact identifier');
  const contact = identifier.contact;
  await em.remove(identifier).flush();
  return contact;
}

/** Moves every identifier and note of `sourceId` to `targetId` and deletes the source contact. */
export async function mergeContacts(em: Em, tenantId: string, targetId: string, sourceId: string): Promise<Contact> {
  return em.transactional(async (tx) => {
    const target = await getContact(tx, tenantId, targetId);
    const source = await getContact(tx, tenantId, sourceId);
    if (target.id === source.id) throw new AppError(ErrorCode.BAD_USER_INPUT, 'A contact cannot be merged into itself', { field: 'sourceId' });
    await tx.nativeUpdate(ContactIdentifier, { contact: source.id, tenant: tenantId }, { contact: target.id });
    await tx.nativeUpdate(ContactNote, { contact: source.id, tenant: tenantId }, { contact: target.id });
    target.name ??= source.name;
    await tx.nativeDelete(Contact, { id: source.id, tenant: tenantId });
    return target;
  });
}

/** Kinds a free-text search could be an identifier of, with their normalised spellings. */
function identifierCandidates(search: string): { kind: IdentifierKind; value: string }[] {
  const out = [];
  for (const kind of Object.values(IdentifierKind)) {
    try {
      out.push({ kind, value: normaliseIdentifier(kind, search) });
    } catch {
      // not this kind
    }
  }
  return out;
}

export async function listContacts(em: Em, tenantId: string, args: ContactsArgs) {
  let where: object = { tenant: tenantId };
  if (args.search?.trim()) {
    const search = args.search.trim();
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches = identifierCandidates(search);
    const ids = matches.length
      ? (await em.find(ContactIdentifier, { tenant: tenantId, $or: matches }, { fields: ['contact'] })).map((i) => i.contact.id)
      : [];
    where = { tenant: tenantId, $or: [{ name: { $ilike: like } }, ...(ids.length ? [{ id: { $in: ids } }] : [])] };
  }
  const page = await paginate(em, Contact, where, args);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: toContactType(e.node) })) };
}

/** The contact that owns an identifier ("everything for +1 514 555 0100"), or null. */
export async function contactByIdentifier(em: Em, tenantId: string, kind: IdentifierKind, raw: string): Promise<Contact | null> {
  const value = normaliseIdentifier(kind, raw);
  const identifier = await em.findOne(ContactIdentifier, { tenant: tenantId, kind, value }, { populate: ['contact'] });
  return identifier?.contact ?? null;
}
