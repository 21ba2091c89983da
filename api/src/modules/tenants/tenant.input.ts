import { Field, InputType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, MinLength, ValidateNested } from 'class-validator';
import { Deployment, Language } from './tenant.entity.js';
import { IsTimeZone } from '../../platform/validation.js';

@InputType('TenantAdministratorInput', { description: "The tenant's first administrator." })
export class TenantAdministratorInput {
  @Field(() => String) @IsEmail() @Length(3, 254) email!: string;
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => String, { nullable: true, description: 'Initial password (at least 10 characters); generated and returned once when omitted.' })
  @IsOptional()
  @MinLength(10)
  password?: string;
}

@InputType('CreateTenantInput')
export class CreateTenantInput {
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => String, { description: 'Lower-case letters, digits and hyphens, 2 to 63 characters.' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'slug must be lower-case letters, digits and hyphens' })
  @Length(2, 63)
  slug!: string;
  @Field(() => Deployment, { defaultValue: Deployment.CLOUD }) deployment: Deployment = Deployment.CLOUD;
  @Field(() => String, { defaultValue: 'UTC' }) @IsTimeZone() timeZone: string = 'UTC';
  @Field(() => Language, { defaultValue: Language.en }) language: Language = Language.en;
  @Field(() => String, { nullable: true, description: 'Licence policy key; defaults to the preset for the deployment.' })
  @IsOptional()
  @Length(1, 40)
  licencePolicyKey?: string;
  @Field(() => TenantAdministratorInput) @ValidateNested() administrator!: TenantAdministratorInput;
}

@InputType('UpdateTenantInput', { description: 'Only the fields given are changed.' })
export class UpdateTenantInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsTimeZone() timeZone?: string;
  @Field(() => Language, { nullable: true }) language?: Language;
}
