import { Field, ObjectType } from 'type-graphql';

@ObjectType('SipCredentials', {
  description: "Short-lived SIP credentials of the calling agent for its softphone. Each request issues a new password and voids the previous one.",
})
export class SipCredentialsType {
  @Field(() => String, { description: 'SIP user (also the digest authorization user).' }) username!: string;
  @Field(() => String, { description: "The tenant's SIP domain (also the digest realm)." }) domain!: string;
  @Field(() => String, { description: 'Digest password; shown once, never stored by the platform.' }) password!: string;
  @Field(() => String, { description: 'Address of record, sip:<username>@<domain>.' }) uri!: string;
  @Field(() => String, { description: 'WebSocket URL for JsSIP, carrying the handshake token.' }) wsUrl!: string;
  @Field(() => Date, { description: 'When the password and the WebSocket token stop working.' }) expiresAt!: Date;
}
