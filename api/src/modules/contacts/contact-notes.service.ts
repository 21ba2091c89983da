import type { Em } from '../../platform/db/orm.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { badInput } from '../../platform/errors.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { ContactNote } from './contact-note.entity.js';
import type { ContactNoteType } from './contact-note.type.js';
import { getContact } from './contacts.service.js';

/** Longest note accepted, in characters. */
export const NOTE_MAX_LENGTH = 10_000;

export const toContactNoteType = (n: ContactNote): ContactNoteType => ({
  id: n.id,
  body: n.body,
  createdAt: n.createdAt,
  authorId: n.author?.id ?? null,
  apiKeyId: n.apiKey?.id ?? null,
});

/** Adds a note to a contact of the caller's tenant, signed by the person or API key calling. */
export async function addContactNote(em: Em, caller: TenantPrincipal, contactId: string, raw: string): Promise<ContactNote> {
  const body = raw.trim();
  if (!body) throw badInput('A note cannot be empty', 'body');
  if (body.length > NOTE_MAX_LENGTH) throw badInput(`A note has at most ${NOTE_MAX_LENGTH} characters`, 'body');
  const contact = await getContact(em, caller.tenantId, contactId);
  const note = em.create(ContactNote, {
    tenant: caller.tenantId,
    contact,
    author: caller.kind === 'user' ? caller.userId : null,
    apiKey: caller.kind === 'apiKey' ? caller.apiKeyId : null,
    body,
  });
  await em.flush();
  return note;
}

/** A contact's notes, oldest first (keyset on the time-ordered id). */
export async function listContactNotes(em: Em, tenantId: string, contactId: string, page: PageArgs) {
  const result = await paginate(em, ContactNote, { tenant: tenantId, contact: contactId }, page);
  return { ...result, edges: result.edges.map((e) => ({ ...e, node: toContactNoteType(e.node) })) };
}
