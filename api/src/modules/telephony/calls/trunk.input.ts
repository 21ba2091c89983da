import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { SipTransport } from './trunk.entity.js';

@InputType('SipTrunkInput', { description: 'A trunk, whole; the password is kept when left out.' })
export class SipTrunkInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => String, { description: 'Carrier host name or address.' }) @Length(1, 253) host!: string;
  @Field(() => Int, { defaultValue: 5060 }) @Min(1) @Max(65535) port: number = 5060;
  @Field(() => SipTransport, { defaultValue: SipTransport.UDP }) transport: SipTransport = SipTransport.UDP;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(120) username?: string;
  @Field(() => String, { nullable: true, description: 'Write-only. Left out: unchanged; empty: removed.' }) @IsOptional() @MaxLength(200) password?: string;
  @Field(() => [String], { description: 'Addresses or CIDR ranges (IPv4/IPv6) the carrier sends calls from.' }) @ArrayMaxSize(50) allowedSources!: string[];
  @Field(() => String, { nullable: true, description: 'E.164 caller ID of outbound calls.' }) @IsOptional() @MaxLength(30) callerIdDefault?: string;
  @Field(() => Boolean, { defaultValue: true }) active: boolean = true;
}

@InputType('DidInput')
export class DidInput {
  @Field(() => String, { description: 'The number in E.164 (any spelling: "+1 514 555 0100").' }) @Length(1, 30) number!: string;
  @Field(() => ID) trunkId!: string;
  @Field(() => ID, { nullable: true, description: 'The campaign inbound calls to this number go to.' }) campaignId?: string;
}
