import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { addBlacklistEntry, blacklistMatch, listBlacklist, removeBlacklistEntry } from './blacklist.service.js';
import { BlacklistEntryInput } from './contact.input.js';
import { BlacklistEntryConnection, BlacklistEntryType } from './contact.type.js';
import { IdentifierKind, normaliseIdentifier } from './identifiers.js';

@Resolver()
export class BlacklistResolver {
  @Query(() => BlacklistEntryConnection, { description: 'Numbers, addresses and handles refused on every channel.', complexity: connectionComplexity })
  @Requires(Permission.BLACKLIST_MANAGE)
  blacklist(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listBlacklist(ctx.em, tenantPrincipal(ctx).tenantId, page);
  }

  @Query(() => BlacklistEntryType, { nullable: true, description: 'The blacklist entry that refuses this identifier, if any.' })
  @Requires(Permission.CONTACTS_READ)
  blacklistCheck(
    @Arg('kind', () => IdentifierKind) kind: IdentifierKind,
    @Arg('value', () => String) value: string,
    @Ctx() ctx: Context,
  ) {
    return blacklistMatch(ctx.em, tenantPrincipal(ctx).tenantId, [{ kind, value: normaliseIdentifier(kind, value) }]);
  }

  @Mutation(() => BlacklistEntryType)
  @Requires(Permission.BLACKLIST_MANAGE)
  addBlacklistEntry(@Arg('input', () => BlacklistEntryInput) input: BlacklistEntryInput, @Ctx() ctx: Context) {
    return addBlacklistEntry(ctx.em, tenantPrincipal(ctx), input);
  }

  @Mutation(() => ID)
  @Requires(Permission.BLACKLIST_MANAGE)
  removeBlacklistEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return removeBlacklistEntry(ctx.em, tenantPrincipal(ctx).tenantId, id);
  }
}
