import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';
import { BlacklistMatch } from './blacklist.entity.js';
import { IdentifierKind } from './identifiers.js';

registerEnumType(IdentifierKind, {
  name: 'IdentifierKind',
  description: 'A way to reach a customer: phone number, e-mail address, or a channel handle.',
});
registerEnumType(BlacklistMatch, { name: 'BlacklistMatch', description: 'EXACT value, or every value starting with it (PREFIX).' });

@ObjectType('ContactIdentifier', { description: 'Stored normalised: "+1 514 555 0100" is kept as "+15145550100".' })
export class ContactIdentifierType {
  @Field(() => ID) id!: string;
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => String) value!: string;
}

@ObjectType('Contact', { description: "One of the tenant's customers, found from any of its identifiers." })
export class ContactType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const ContactConnection = Connection(ContactType, 'Contact');

@ObjectType('BlacklistEntry')
export class BlacklistEntryType {
  @Field(() => ID) id!: string;
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => BlacklistMatch) match!: BlacklistMatch;
  @Field(() => String) value!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const BlacklistEntryConnection = Connection(BlacklistEntryType, 'BlacklistEntry');
