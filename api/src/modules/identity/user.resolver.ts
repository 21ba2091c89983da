import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { MIN_PASSWORD_LENGTH } from '../../platform/auth/password.js';
import { Permission } from '../../platform/auth/permissions.js';
import { connectionComplexity } from '../../platform/connection.js';
import { loader, type Context } from '../../platform/context.js';
import { badInput } from '../../platform/errors.js';
import { tenantEm } from '../../platform/db/orm.js';
import { CreateUserInput, UpdateUserInput, UsersArgs } from './identity.input.js';
import { CreatedUserType, SecurityGroupType, UserConnection, UserType } from './identity.type.js';
import { groupsByUserLoader } from './security-groups.service.js';
import { createUser, deleteUser, getUser, listUsers, setUserGroups, setUserPassword, signOutUser, toUserType, updateUser } from './users.service.js';

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserConnection, { description: "The tenant's users.", complexity: connectionComplexity })
  @Requires(Permission.USERS_READ)
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context) {
    return listUsers(ctx.em, tenantPrincipal(ctx).tenantId, args);
  }

  @Query(() => UserType)
  @Requires(Permission.USERS_READ)
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toUserType(await getUser(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @Mutation(() => CreatedUserType)
  @Requires(Permission.USERS_MANAGE)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context): Promise<CreatedUserType> {
    const { user, initialPassword } = await createUser(ctx.em, tenantPrincipal(ctx), input);
    return { user: toUserType(user), initialPassword };
  }

  @Mutation(() => UserType, { description: "Changes name, role or status. Disabling or changing the role ends their sessions; an agent's SIP registrations and calls in progress end too." })
  @Requires(Permission.USERS_MANAGE)
  async updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context) {
    return toUserType(await updateUser(ctx.app, ctx.em, tenantPrincipal(ctx), id, input));
  }

  @Mutation(() => ID, {
    description: "Deletes a user (not oneself) and returns the id: sessions, SIP account and registrations end at once; interactions keep their history without the agent. CONFLICT while the user is on a call (disabling ends it).",
  })
  @Requires(Permission.USERS_MANAGE)
  deleteUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return deleteUser(ctx.app, ctx.em, tenantPrincipal(ctx), id);
  }

  @Mutation(() => UserType, { description: "Sets a user's password; ends their sessions, voids their SIP credentials and unregisters their phone (a call in progress goes on). Like every operation on another user, FORBIDDEN when the user holds a right the caller lacks." })
  @Requires(Permission.USERS_MANAGE)
  async setUserPassword(@Arg('id', () => ID) id: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context) {
    if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
      throw badInput(`The password needs at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
    }
    return toUserType(await setUserPassword(ctx.app, ctx.em, tenantPrincipal(ctx), id, password));
  }

  @Mutation(() => UserType, { description: "Replaces a user's security groups." })
  @Requires(Permission.SECURITY_GROUPS_MANAGE)
  async setUserSecurityGroups(
    @Arg('userId', () => ID) userId: string,
    @Arg('securityGroupIds', () => [ID]) securityGroupIds: string[],
    @Ctx() ctx: Context,
  ) {
    if (securityGroupIds.length > 50) throw badInput('At most 50 security groups', 'securityGroupIds');
    return toUserType(await setUserGroups(ctx.em, tenantPrincipal(ctx), userId, securityGroupIds));
  }

  @Mutation(() => UserType, { description: "Ends every session of a user, freeing an agent's licence seat." })
  @Requires(Permission.SESSIONS_MANAGE)
  async signOutUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toUserType(await signOutUser(ctx.em, tenantPrincipal(ctx), id));
  }

  @FieldResolver(() => [SecurityGroupType])
  securityGroups(@Root() user: UserType, @Ctx() ctx: Context) {
    if (!user.tenantId) return [];
    const tenantId = user.tenantId;
    return loader(ctx, `groupsByUser:${tenantId}`, () => groupsByUserLoader(tenantEm(ctx.em, tenantId), tenantId)).load(user.id);
  }
}
