import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';
import { CreateApiKeyInput } from './identity.input.js';
import { ApiKeyConnection, ApiKeyType, CreatedApiKeyType } from './identity.type.js';

@Resolver()
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { complexity: connectionComplexity })
  @Requires(Permission.API_KEYS_MANAGE)
  apiKeys(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listApiKeys(ctx.em, tenantPrincipal(ctx).tenantId, page);
  }

  @Mutation(() => CreatedApiKeyType, { description: 'Creates an API key. The secret in the answer is shown only this once.' })
  @Requires(Permission.API_KEYS_MANAGE)
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return createApiKey(ctx.em, tenantPrincipal(ctx), input);
  }

  @Mutation(() => ApiKeyType, { description: 'Revokes an API key at once.' })
  @Requires(Permission.API_KEYS_MANAGE)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revokeApiKey(ctx.em, tenantPrincipal(ctx).tenantId, id);
  }
}
