import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { groupedBy } from '../../platform/loaders.js';
import { ContactIdentifier } from './contact.entity.js';
import { badInput } from '../../platform/errors.js';
import { ContactIdentifierInput, ContactsArgs, CreateContactInput } from './contact.input.js';
import { ContactConnection, ContactIdentifierType, ContactType } from './contact.type.js';
import {
  addIdentifier,
  contactByIdentifier,
  createContact,
  getContact,
  listContacts,
  mergeContacts,
  removeIdentifier,
  renameContact,
  toContactType,
} from './contacts.service.js';
import { IdentifierKind } from './identifiers.js';

@Resolver(() => ContactType)
export class ContactResolver {
  @Query(() => ContactConnection, { description: "The tenant's customers.", complexity: connectionComplexity })
  @Requires(Permission.CONTACTS_READ)
  contacts(@Args(() => ContactsArgs) args: ContactsArgs, @Ctx() ctx: Context) {
    return listContacts(ctx.em, tenantPrincipal(ctx).tenantId, args);
  }

  @Query(() => ContactType)
  @Requires(Permission.CONTACTS_READ)
  async contact(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toContactType(await getContact(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @Query(() => ContactType, { nullable: true, description: 'The contact a phone number, e-mail address or handle belongs to (any spelling).' })
  @Requires(Permission.CONTACTS_READ)
  async contactByIdentifier(
    @Arg('kind', () => IdentifierKind) kind: IdentifierKind,
    @Arg('value', () => String) value: string,
    @Ctx() ctx: Context,
  ) {
    const contact = await contactByIdentifier(ctx.em, tenantPrincipal(ctx).tenantId, kind, value);
    return contact && toContactType(contact);
  }

  @Mutation(() => ContactType, { description: 'Creates a contact; an identifier that belongs to another contact is a CONFLICT.' })
  @Requires(Permission.CONTACTS_MANAGE)
  async createContact(@Arg('input', () => CreateContactInput) input: CreateContactInput, @Ctx() ctx: Context) {
    return toContactType(await createContact(ctx.em, tenantPrincipal(ctx).tenantId, input));
  }

  @Mutation(() => ContactType)
  @Requires(Permission.CONTACTS_MANAGE)
  async renameContact(
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: Context,
  ) {
    if (name && name.length > 200) throw badInput('A name has at most 200 characters', 'name');
    return toContactType(await renameContact(ctx.em, tenantPrincipal(ctx).tenantId, id, name ?? null));
  }

  @Mutation(() => ContactType)
  @Requires(Permission.CONTACTS_MANAGE)
  async addContactIdentifier(
    @Arg('contactId', () => ID) contactId: string,
    @Arg('identifier', () => ContactIdentifierInput) identifier: ContactIdentifierInput,
    @Ctx() ctx: Context,
  ) {
    return toContactType(await addIdentifier(ctx.em, tenantPrincipal(ctx).tenantId, contactId, identifier));
  }

  @Mutation(() => ContactType, { description: 'Removes one identifier; returns its contact.' })
  @Requires(Permission.CONTACTS_MANAGE)
  async removeContactIdentifier(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toContactType(await removeIdentifier(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @Mutation(() => ContactType, { description: 'Moves everything of the source contact to the target and deletes the source.' })
  @Requires(Permission.CONTACTS_MANAGE)
  async mergeContacts(
    @Arg('targetId', () => ID) targetId: string,
    @Arg('sourceId', () => ID) sourceId: string,
    @Ctx() ctx: Context,
  ) {
    return toContactType(await mergeContacts(ctx.em, tenantPrincipal(ctx).tenantId, targetId, sourceId));
  }

  @FieldResolver(() => [ContactIdentifierType])
  async identifiers(@Root() contact: ContactType, @Ctx() ctx: Context) {
    const tenantId = tenantPrincipal(ctx).tenantId;
    const rows = await groupedBy(ctx, ContactIdentifier, 'ContactIdentifier', tenantId, 'contact', (i) => i.contact.id, {
      orderBy: { kind: 'asc', value: 'asc' },
    }).load(contact.id);
    return rows.map((i): ContactIdentifierType => ({ id: i.id, kind: i.kind, value: i.value }));
  }
}

