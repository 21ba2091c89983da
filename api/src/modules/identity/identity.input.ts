import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsEmail, IsIn, IsOptional, Length, MaxLength, MinLength } from 'class-validator';
import { Permission, Role } from '../../platform/auth/permissions.js';
import { MIN_PASSWORD_LENGTH } from '../../platform/auth/password.js';
import { PageArgs } from '../../platform/connection.js';
import { AccountContactType as ContactKind } from './account-contact.entity.js';
import { UserStatus } from './user.entity.js';

const TENANT_ROLES = [Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR];

@InputType('SignInInput')
export class SignInInput {
  @Field(() => String) @Length(3, 254) email!: string;
  @Field(() => String) @Length(1, 1024) password!: string;
  @Field(() => String, { nullable: true, description: 'Tenant slug; needed only when the e-mail is used in several tenants.' })
  @IsOptional()
  @Length(1, 63)
  tenant?: string;
}

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => String) @IsEmail() @Length(3, 254) email!: string;
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => Role) @IsIn(TENANT_ROLES, { message: 'role must be AGENT, SUPERVISOR or ADMINISTRATOR' }) role!: Role;
  @Field(() => String, { nullable: true, description: `At least ${MIN_PASSWORD_LENGTH} characters; generated and returned once when omitted.` })
  @IsOptional()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(1024)
  password?: string;
  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(50) securityGroupIds?: string[];
}

@InputType('UpdateUserInput', { description: 'Only the fields given are changed.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) name?: string;
  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsIn(TENANT_ROLES, { message: 'role must be AGENT, SUPERVISOR or ADMINISTRATOR' })
  role?: Role;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => Role, { nullable: true }) role?: Role;
  @Field(() => String, { nullable: true, description: 'Part of the name or e-mail.' })
  @IsOptional()
  @MaxLength(100)
  search?: string;
}

@InputType('SecurityGroupInput')
export class SecurityGroupInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) description?: string;
  @Field(() => [Permission]) @ArrayMaxSize(50) permissions!: Permission[];
}

@InputType('AccountContactInput')
export class AccountContactInput {
  @Field(() => ContactKind) type!: ContactKind;
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => String) @IsEmail() @Length(3, 254) email!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(3, 32) phone?: string;
}

@InputType('CreateApiKeyInput')
export class CreateApiKeyInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => [Permission], { description: 'What the key may do; at most what its creator may do.' })
  @ArrayMaxSize(50)
  scopes!: Permission[];
  @Field(() => Date, { nullable: true }) expiresAt?: Date;
}
