import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Permission, Role } from '../../platform/auth/permissions.js';
import { Connection } from '../../platform/connection.js';
import { TenantType } from '../tenants/tenant.type.js';
import { AccountContactType as ContactKind } from './account-contact.entity.js';
import { UserStatus } from './user.entity.js';

registerEnumType(UserStatus, { name: 'UserStatus', description: 'DISABLED users cannot sign in; their history stays.' });
registerEnumType(ContactKind, {
  name: 'AccountContactType',
  description: 'ADMINISTRATIVE may request changes; TECHNICAL receives every incident and maintenance notice; BILLING receives invoices.',
});

@ObjectType('SecurityGroup', { description: 'Narrows what its supervisor and administrator members may do.' })
export class SecurityGroupType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [Permission]) permissions!: Permission[];
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => UserStatus) status!: UserStatus;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastSignInAt!: Date | null;
  /** Not exposed: lets field resolvers stay in the user's tenant. */
  tenantId!: string | null;
}

export const UserConnection = Connection(UserType, 'User');

export const SecurityGroupConnection = Connection(SecurityGroupType, 'SecurityGroup');

@ObjectType('AccountContact')
export class AccountContactObject {
  @Field(() => ID) id!: string;
  @Field(() => ContactKind) type!: ContactKind;
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('ApiKey', { description: 'An integration key. Its secret is shown only when it is created.' })
export class ApiKeyType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' }) prefix!: string;
  @Field(() => [Permission]) scopes!: Permission[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

export const ApiKeyConnection = Connection(ApiKeyType, 'ApiKey');

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => ApiKeyType) apiKey!: ApiKeyType;
  @Field(() => String, { description: 'The key itself. Store it now: it cannot be shown again.' }) secret!: string;
}

@ObjectType('AuthPayload', { description: 'Tokens of a new or refreshed session.' })
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`; short-lived.' }) accessToken!: string;
  @Field(() => Date) accessTokenExpiresAt!: Date;
  @Field(() => String, { description: 'Exchange with `refreshSession` for new tokens; each one works once.' }) refreshToken!: string;
  @Field(() => Date) refreshTokenExpiresAt!: Date;
  @Field(() => UserType) user!: UserType;
}

@ObjectType('CreatedUser')
export class CreatedUserType {
  @Field(() => UserType) user!: UserType;
  @Field(() => String, { nullable: true, description: 'The generated first password, when none was given. Shown once.' })
  initialPassword!: string | null;
}

@ObjectType('CreatedTenant')
export class CreatedTenantType {
  @Field(() => TenantType) tenant!: TenantType;
  @Field(() => UserType) administrator!: UserType;
  @Field(() => String, { nullable: true, description: "The administrator's generated first password, when none was given. Shown once." })
  initialPassword!: string | null;
}

export enum ViewerKind {
  USER = 'USER',
  API_KEY = 'API_KEY',
  PLATFORM_OPERATOR = 'PLATFORM_OPERATOR',
}
registerEnumType(ViewerKind, { name: 'ViewerKind' });

@ObjectType('Viewer', { description: 'Who the caller is and what it may do.' })
export class ViewerType {
  @Field(() => ViewerKind) kind!: ViewerKind;
  @Field(() => UserType, { nullable: true }) user!: UserType | null;
  @Field(() => TenantType, { nullable: true }) tenant!: TenantType | null;
  @Field(() => [Permission]) permissions!: Permission[];
}
