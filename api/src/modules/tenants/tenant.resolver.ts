import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { OperatorOnly, Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission, Role } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { CreatedTenantType, insertUser, toUserType } from '../identity/index.js';
import { TenantStatus } from './tenant.entity.js';
import { CreateTenantInput, UpdateTenantInput } from './tenant.input.js';
import { getTenant, insertTenant, listTenants, setRetention, setTenantStatus, toTenantType, updateTenant } from './tenant.service.js';
import { TenantConnection, TenantType } from './tenant.type.js';

@Resolver()
export class TenantResolver {
  @Query(() => TenantConnection, { description: 'Every tenant on the platform (platform operator).', complexity: connectionComplexity })
  @OperatorOnly()
  tenants(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => TenantStatus, { nullable: true }) status: TenantStatus | undefined,
    @Ctx() ctx: Context,
  ) {
    return listTenants(platformEm(ctx.app.orm), page, status ?? undefined);
  }

  @Query(() => TenantType, { description: "The caller's own tenant." })
  @Requires(Permission.TENANT_READ)
  async tenant(@Ctx() ctx: Context) {
    return toTenantType(await getTenant(ctx.em, tenantPrincipal(ctx).tenantId));
  }

  @Mutation(() => CreatedTenantType, { description: 'Creates a tenant with its first administrator (platform operator).' })
  @OperatorOnly()
  async createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: Context): Promise<CreatedTenantType> {
    return platformEm(ctx.app.orm).transactional(async (tx) => {
      const tenant = await insertTenant(tx, input);
      await tx.flush();
      const { user, initialPassword } = await insertUser(tx, tenant.id, { ...input.administrator, role: Role.ADMINISTRATOR });
      await tx.flush();
      return { tenant: toTenantType(tenant), administrator: toUserType(user), initialPassword };
    });
  }

  @Mutation(() => TenantType, { description: "Changes the caller's tenant name, time zone or language." })
  @Requires(Permission.TENANT_MANAGE)
  async updateTenant(@Arg('input', () => UpdateTenantInput) input: UpdateTenantInput, @Ctx() ctx: Context) {
    return toTenantType(await updateTenant(ctx.em, tenantPrincipal(ctx).tenantId, input));
  }

  @Mutation(() => TenantType, { description: 'Suspends a tenant: its users are signed out and refused, nothing is deleted.' })
  @OperatorOnly()
  async suspendTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toTenantType(await setTenantStatus(platformEm(ctx.app.orm), id, TenantStatus.SUSPENDED));
  }

  @Mutation(() => TenantType, { description: "Sets how many months a tenant's transcripts and recordings are kept (platform operator)." })
  @OperatorOnly()
  async setTenantRetention(@Arg('id', () => ID) id: string, @Arg('months', () => Int) months: number, @Ctx() ctx: Context) {
    return toTenantType(await setRetention(platformEm(ctx.app.orm), id, months));
  }

  @Mutation(() => TenantType)
  @OperatorOnly()
  async reactivateTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toTenantType(await setTenantStatus(platformEm(ctx.app.orm), id, TenantStatus.ACTIVE));
  }
}
