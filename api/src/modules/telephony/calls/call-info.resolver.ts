import DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { tenantPrincipal } from '../../../platform/auth/access.js';
import { loader, type Context } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { InteractionType } from '../../interactions/interaction.type.js';
import { Call, RecordingStatus } from './call.entity.js';

registerEnumType(RecordingStatus, { name: 'RecordingStatus', description: 'PENDING until the WAV is attached (ATTACHED); MISSING when none turned up.' });

@ObjectType('CallInfo', { description: 'The telephone side of a VOICE interaction.' })
export class CallInfoType {
  @Field(() => String, { nullable: true, description: 'Caller: a phone number, or the agent\'s caller ID outbound; null for an anonymous caller (number withheld).' })
  fromNumber!: string | null;
  @Field(() => String, { description: 'Called number.' }) toNumber!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'SIP status of a failed call (486 busy, 408 no answer, ...); 200 for one answered and hung up.' })
  sipCode!: number | null;
  @Field(() => String, { nullable: true, description: 'caller, callee, api (refused by routing or hung up by a supervisor) or media-timeout (a side sent no media for CALL_MEDIA_TIMEOUT_SECONDS).' }) endedBy!: string | null;
  @Field(() => RecordingStatus, { nullable: true, description: 'Set for recorded calls that were answered.' }) recording!: RecordingStatus | null;
}

@Resolver(() => InteractionType)
export class CallInfoResolver {
  @FieldResolver(() => CallInfoType, { nullable: true, description: 'For VOICE interactions: numbers, SIP outcome and recording state.' })
  async call(@Root() i: InteractionType, @Ctx() ctx: Context): Promise<CallInfoType | null> {
    const tenantId = tenantPrincipal(ctx).tenantId;
    const calls = loader(ctx, `callByInteraction:${tenantId}`, () => {
      const em = tenantEm(ctx.em, tenantId);
      return new DataLoader<string, Call | undefined>(async (ids) => {
        // a transferred call has one leg per agent: the newest is the call
        const rows = await em.find(Call, { interaction: { $in: [...ids] }, tenant: tenantId }, { orderBy: { startedAt: 'asc', id: 'asc' } });
        const byInteraction = new Map(rows.map((c) => [c.interaction!.id, c]));
        return ids.map((id) => byInteraction.get(id));
      });
    });
    const c = await calls.load(i.id);
    return c
      ? { fromNumber: c.fromNumber ?? null, toNumber: c.toNumber, startedAt: c.startedAt, endedAt: c.endedAt ?? null, sipCode: c.sipCode ?? null, endedBy: c.endedBy ?? null, recording: c.recording ?? null }
      : null;
  }
}
