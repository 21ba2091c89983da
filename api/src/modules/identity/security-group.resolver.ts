import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { SecurityGroupInput } from './identity.input.js';
import { SecurityGroupConnection, SecurityGroupType } from './identity.type.js';
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from './security-groups.service.js';

@Resolver()
export class SecurityGroupResolver {
  @Query(() => SecurityGroupConnection, { complexity: connectionComplexity })
  @Requires(Permission.USERS_READ)
  securityGroups(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listGroups(ctx.em, tenantPrincipal(ctx).tenantId, page);
  }

  @Query(() => SecurityGroupType)
  @Requires(Permission.USERS_READ)
  securityGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return getGroup(ctx.em, tenantPrincipal(ctx).tenantId, id);
  }

  @Mutation(() => SecurityGroupType)
  @Requires(Permission.SECURITY_GROUPS_MANAGE)
  createSecurityGroup(@Arg('input', () => SecurityGroupInput) input: SecurityGroupInput, @Ctx() ctx: Context) {
    return createGroup(ctx.em, tenantPrincipal(ctx), input);
  }

  @Mutation(() => SecurityGroupType)
  @Requires(Permission.SECURITY_GROUPS_MANAGE)
  updateSecurityGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => SecurityGroupInput) input: SecurityGroupInput,
    @Ctx() ctx: Context,
  ) {
    return updateGroup(ctx.em, tenantPrincipal(ctx), id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a security group; its members lose the narrowing it gave.' })
  @Requires(Permission.SECURITY_GROUPS_MANAGE)
  deleteSecurityGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteGroup(ctx.em, tenantPrincipal(ctx), id);
  }
}
