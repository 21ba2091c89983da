import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';

@ObjectType('ContactNote', { description: 'A note about a contact, written by a person or an integration (API key).' })
export class ContactNoteType {
  @Field(() => ID) id!: string;
  @Field(() => String) body!: string;
  @Field(() => Date) createdAt!: Date;
  authorId!: string | null;
  apiKeyId!: string | null;
}

export const ContactNoteConnection = Connection(ContactNoteType, 'ContactNote');
