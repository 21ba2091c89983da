import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Deployment, Language, TenantStatus } from './tenant.entity.js';
import { Connection } from '../../platform/connection.js';

registerEnumType(Deployment, { name: 'Deployment', description: 'Where the tenant runs: our cloud or its own premises.' });
registerEnumType(Language, { name: 'Language', description: 'Language of texts and messages.' });
registerEnumType(TenantStatus, { name: 'TenantStatus' });

@ObjectType('Tenant', { description: 'A company using Switchboard: every other object belongs to one.' })
export class TenantType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Short unique name, used at sign-in.' }) slug!: string;
  @Field(() => Deployment) deployment!: Deployment;
  @Field(() => String, { description: 'IANA time zone, e.g. America/Montreal.' }) timeZone!: string;
  @Field(() => Language) language!: Language;
  @Field(() => TenantStatus) status!: TenantStatus;
  @Field(() => String, { description: 'Key of the licence policy that applies.' }) licencePolicyKey!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) suspendedAt!: Date | null;
  @Field(() => Int, { description: 'Months transcripts and recordings are kept after an interaction ends.' }) retentionMonths!: number;
}

export const TenantConnection = Connection(TenantType, 'Tenant');
