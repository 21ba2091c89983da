import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { OperatorOnly, Requires, SignedIn, tenantPrincipal, callersTenant } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { platformEm, tenantEm } from '../../platform/db/orm.js';
import { LICENCE_CHANGED, type LicenceChangedPayload } from './licence.events.js';
import { LicenceTermsInput } from './licence.input.js';
import { checkTerms, getLicence, listPolicies, setLicence } from './licence.service.js';
import { LicenceCheckType, LicencePolicyType, LicenceType } from './licence.type.js';

@Resolver()
export class LicenceResolver {
  @Query(() => LicenceType, { nullable: true, description: "The caller's tenant licence, with seats in use." })
  @Requires(Permission.LICENCE_READ)
  licence(@Ctx() ctx: Context): Promise<LicenceType | null> {
    return getLicence(ctx.em, tenantPrincipal(ctx).tenantId);
  }

  @Query(() => [LicencePolicyType], { description: 'The licence policies (rules as data) the platform offers.' })
  @SignedIn()
  licencePolicies(@Ctx() ctx: Context) {
    return listPolicies(ctx.em);
  }

  @Query(() => LicenceCheckType, { description: "Checks proposed terms against the tenant's policy without changing anything." })
  @Requires(Permission.LICENCE_READ)
  licenceCheck(@Arg('terms', () => LicenceTermsInput) terms: LicenceTermsInput, @Ctx() ctx: Context) {
    return checkTerms(ctx.em, tenantPrincipal(ctx).tenantId, terms);
  }

  @Mutation(() => LicenceType, { description: "Sets a tenant's licence terms (platform operator)." })
  @OperatorOnly()
  setTenantLicence(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('terms', () => LicenceTermsInput) terms: LicenceTermsInput,
    @Ctx() ctx: Context,
  ) {
    return setLicence(ctx.app, platformEm(ctx.app.orm), tenantId, terms);
  }

  @Subscription(() => LicenceType, {
    description: "Fires when the caller's tenant licence changes (seats, kind, add-ons).",
    topics: LICENCE_CHANGED,
    topicId: callersTenant,
  })
  @Requires(Permission.LICENCE_READ)
  async licenceChanged(@Root() payload: LicenceChangedPayload, @Ctx() ctx: Context): Promise<LicenceType> {
    const licence = await getLicence(tenantEm(ctx.app.orm, payload.tenantId), payload.tenantId);
    if (!licence) throw new Error('licence vanished after LICENCE_CHANGED');
    return licence;
  }
}
