import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { byId } from '../../platform/loaders.js';
import { ApiKey } from '../identity/api-key.entity.js';
import { User } from '../identity/user.entity.js';
import { UserType } from '../identity/identity.type.js';
import { toUserType } from '../identity/users.service.js';
import { ContactNoteConnection, ContactNoteType } from './contact-note.type.js';
import { addContactNote, listContactNotes, toContactNoteType } from './contact-notes.service.js';
import { ContactType } from './contact.type.js';

@Resolver(() => ContactNoteType)
export class ContactNoteResolver {
  @Mutation(() => ContactNoteType, { description: 'Adds a note (1 to 10,000 characters) to a contact, signed by the caller.' })
  @Requires(Permission.CONTACTS_MANAGE)
  async addContactNote(
    @Arg('contactId', () => ID) contactId: string,
    @Arg('body', () => String) body: string,
    @Ctx() ctx: Context,
  ) {
    return toContactNoteType(await addContactNote(ctx.em, tenantPrincipal(ctx), contactId, body));
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'Who wrote it; null when an integration (API key) did.' })
  async author(@Root() note: ContactNoteType, @Ctx() ctx: Context) {
    const u = note.authorId && (await byId(ctx, User, 'User', tenantPrincipal(ctx).tenantId).load(note.authorId));
    return u ? toUserType(u) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Name of the API key (integration) that wrote it.' })
  async apiKeyName(@Root() note: ContactNoteType, @Ctx() ctx: Context) {
    const key = note.apiKeyId && (await byId(ctx, ApiKey, 'ApiKey', tenantPrincipal(ctx).tenantId).load(note.apiKeyId));
    return key ? key.name : null;
  }
}

@Resolver(() => ContactType)
export class ContactNotesResolver {
  @FieldResolver(() => ContactNoteConnection, { complexity: connectionComplexity, description: 'Notes about this customer, oldest first.' })
  notes(@Root() contact: ContactType, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listContactNotes(ctx.em, tenantPrincipal(ctx).tenantId, contact.id, page);
  }
}
