import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { User } from '../identity/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Contact } from './contact.entity.js';

/**
 * A free-text note about a contact, written by a person (author) or an integration (apiKey).
 * Notes are never edited; they follow their contact through a merge and go with it when deleted.
 */
export const ContactNote = defineEntity({
  name: 'ContactNote',
  tableName: 'contact_note',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    contact: () => p.manyToOne(Contact).deleteRule('cascade').index(),
    author: () => p.manyToOne(User).nullable().deleteRule('set null'),
    apiKey: () => p.manyToOne(ApiKey).nullable().deleteRule('set null'),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ContactNote = InferEntity<typeof ContactNote>;
