import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../../platform/connection.js';
import { SipTransport } from './trunk.entity.js';

registerEnumType(SipTransport, { name: 'SipTransport' });

@ObjectType('SipTrunk', { description: "A tenant's connection to the telephone network. Its password is write-only." })
export class SipTrunkType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) host!: string;
  @Field(() => Int) port!: number;
  @Field(() => SipTransport) transport!: SipTransport;
  @Field(() => String, { nullable: true, description: 'Digest user name towards the carrier.' }) username!: string | null;
  @Field(() => Boolean, { description: 'Whether a digest password is stored (it is never shown).' }) hasPassword!: boolean;
  @Field(() => [String], { description: 'Addresses or CIDR ranges inbound calls may come from.' }) allowedSources!: string[];
  @Field(() => String, { nullable: true, description: 'E.164 caller ID of outbound calls.' }) callerIdDefault!: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('Did', { description: 'A phone number (E.164) a trunk carries, and the campaign its calls go to.' })
export class DidType {
  @Field(() => ID) id!: string;
  @Field(() => String) number!: string;
  @Field(() => Date) createdAt!: Date;
  /** Not exposed: resolved by their fields. */
  trunkId!: string;
  campaignId!: string | null;
}

export const SipTrunkConnection = Connection(SipTrunkType, 'SipTrunk');
export const DidConnection = Connection(DidType, 'Did');
