import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../platform/context.js';
import { InteractionType } from '../../interactions/interaction.type.js';
import { RECORDING_URL_TTL_SECONDS, signedRecordingUrl } from './signed-url.js';

@Resolver(() => InteractionType)
export class RecordingUrlResolver {
  /** Whoever may see the interaction may hear it, as with its transcript (agents: their own). */
  @FieldResolver(() => String, {
    nullable: true,
    description: `A link to the call recording (stereo WAV: caller left, callee right), valid ${RECORDING_URL_TTL_SECONDS / 60} minutes; null without one.`,
  })
  recordingUrl(@Root() i: InteractionType, @Ctx() ctx: Context): string | null {
    return i.recordingRef ? signedRecordingUrl(ctx.app, i.id) : null;
  }
}
