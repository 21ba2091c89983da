import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { AccountContactType as ContactKind } from './account-contact.entity.js';
import { createContact, deleteContact, listContacts, updateContact } from './account-contacts.service.js';
import { AccountContactInput } from './identity.input.js';
import { AccountContactObject } from './identity.type.js';

@Resolver()
export class AccountContactResolver {
  @Query(() => [AccountContactObject], { description: "The tenant's administrative, technical and billing contacts." })
  @Requires(Permission.TENANT_READ)
  accountContacts(@Arg('type', () => ContactKind, { nullable: true }) type: ContactKind | undefined, @Ctx() ctx: Context) {
    return listContacts(ctx.em, tenantPrincipal(ctx).tenantId, type ?? undefined);
  }

  @Mutation(() => AccountContactObject)
  @Requires(Permission.ACCOUNT_CONTACTS_MANAGE)
  createAccountContact(@Arg('input', () => AccountContactInput) input: AccountContactInput, @Ctx() ctx: Context) {
    return createContact(ctx.em, tenantPrincipal(ctx).tenantId, input);
  }

  @Mutation(() => AccountContactObject)
  @Requires(Permission.ACCOUNT_CONTACTS_MANAGE)
  updateAccountContact(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AccountContactInput) input: AccountContactInput,
    @Ctx() ctx: Context,
  ) {
    return updateContact(ctx.em, tenantPrincipal(ctx).tenantId, id, input);
  }

  @Mutation(() => ID)
  @Requires(Permission.ACCOUNT_CONTACTS_MANAGE)
  deleteAccountContact(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteContact(ctx.em, tenantPrincipal(ctx).tenantId, id);
  }
}
