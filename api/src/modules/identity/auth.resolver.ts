import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';

import { Public, SignedIn } from '../../platform/auth/access.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../../platform/auth/password.js';
import type { Context } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, forbidden } from '../../platform/errors.js';
import { getTenant, toTenantType } from '../tenants/tenant.service.js';
import { refreshSession, revokeSessions, signIn } from './auth.service.js';
import { signInThrottle } from './auth-throttle.js';
import { SignInInput } from './identity.input.js';
import { AuthPayload, ViewerKind, ViewerType } from './identity.type.js';
import { User } from './user.entity.js';
import { toUserType } from './users.service.js';

const payload = (r: Awaited<ReturnType<typeof signIn>>): AuthPayload => ({ ...r, user: toUserType(r.user) });

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Signs in with e-mail and password. Agents take a licence seat. Repeated wrong passwords (per account, per account and address, per address) answer RATE_LIMITED with extensions.retryAfterSeconds, even for the right password, until the block ends.' })
  @Public()
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return payload(await signIn(ctx.app, input, ctx.ip, ctx.userAgent));
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for new tokens. An address that presents many refused tokens is answered RATE_LIMITED for a while.' })
  @Public()
  async refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: Context): Promise<AuthPayload> {
    if (refreshToken.length > 200) throw badInput('Malformed refresh token', 'refreshToken');
    return payload(await refreshSession(ctx.app, refreshToken, ctx.ip));
  }

  @Mutation(() => Boolean, { description: "Ends the caller's session and frees its licence seat." })
  @SignedIn()
  async signOut(@Ctx() ctx: Context): Promise<boolean> {
    const p = ctx.principal!;
    if (p.kind === 'apiKey') throw forbidden('API keys have no session; revoke the key instead');
    await revokeSessions(ctx.em, { sessionId: p.sessionId });
    return true;
  }

  @Mutation(() => Boolean, { description: "Changes the caller's password and ends its other sessions." })
  @SignedIn()
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const p = ctx.principal!;
    if (p.kind === 'apiKey') throw forbidden('API keys have no password');
    if (newPassword.length < MIN_PASSWORD_LENGTH || newPassword.length > 1024) {
      throw badInput(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters`, 'newPassword');
    }
    const em = platformEm(ctx.app.orm);
    const user = await em.findOneOrFail(User, { id: p.userId }, { populate: ['passwordHash'] });
    // A stolen access token must not become a password-guessing oracle: same throttle as signIn.
    await signInThrottle.assertAllowed(ctx.app, user.email, ctx.ip);
    if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      await signInThrottle.failed(ctx.app, user.email, ctx.ip);
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The current password is wrong');
    }
    user.passwordHash = await hashPassword(newPassword);
    await em.flush();
    await em.getConnection().execute(
      'update session set revoked_at = now() where user_id = ? and id <> ? and revoked_at is null',
      [p.userId, p.sessionId],
    );
    return true;
  }

  @Query(() => ViewerType, { description: 'Who the caller is and what it may do.' })
  @SignedIn()
  async viewer(@Ctx() ctx: Context): Promise<ViewerType> {
    const p = ctx.principal!;
    const em = platformEm(ctx.app.orm);
    if (p.kind === 'operator') {
      const user = await em.findOneOrFail(User, { id: p.userId });
      return { kind: ViewerKind.PLATFORM_OPERATOR, user: toUserType(user), tenant: null, permissions: [] };
    }
    const tenant = toTenantType(await getTenant(em, p.tenantId));
    const permissions = [...p.permissions].sort();
    if (p.kind === 'apiKey') return { kind: ViewerKind.API_KEY, user: null, tenant, permissions };
    const user = await em.findOneOrFail(User, { id: p.userId });
    return { kind: ViewerKind.USER, user: toUserType(user), tenant, permissions };
  }
}

