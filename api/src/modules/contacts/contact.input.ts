import { ArgsType, Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../../platform/connection.js';
import { BlacklistMatch } from './blacklist.entity.js';
import { IdentifierKind } from './identifiers.js';

@InputType('ContactIdentifierInput')
export class ContactIdentifierInput {
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => String) @Length(1, 254) value!: string;
}

@InputType('CreateContactInput')
export class CreateContactInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) name?: string;
  @Field(() => [ContactIdentifierInput], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @ValidateNested({ each: true }) identifiers?: ContactIdentifierInput[];
}

@ArgsType()
export class ContactsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Part of the name, or a whole phone number, e-mail address or handle (any spelling).',
  })
  @IsOptional()
  @MaxLength(254)
  search?: string;
}

@InputType('BlacklistEntryInput')
export class BlacklistEntryInput {
  @Field(() => IdentifierKind) kind!: IdentifierKind;
  @Field(() => BlacklistMatch, { defaultValue: BlacklistMatch.EXACT }) match: BlacklistMatch = BlacklistMatch.EXACT;
  @Field(() => String) @Length(1, 254) value!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) reason?: string;
}
