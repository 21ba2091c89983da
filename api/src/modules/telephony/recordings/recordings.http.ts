import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { isUuid } from '../../../platform/ids.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { RECORDING_PATH, verifyRecordingUrl } from './signed-url.js';
import { recordingFile } from './storage.js';

/** GET /recordings/<interaction id>.wav?expires&signature: the WAV, for links made by `Interaction.recordingUrl`. */
export async function registerRecordingRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  fastify.get<{ Params: { file: string }; Querystring: { expires?: string; signature?: string } }>(`${RECORDING_PATH}/:file`, async (request, reply) => {
    const id = request.params.file.replace(/\.wav$/, '');
    // one answer for a bad link, an expired one and a deleted recording: nothing to learn from it
    const gone = () => reply.code(404).send({ error: 'NOT_FOUND' });
    if (!isUuid(id) || !verifyRecordingUrl(app, id, request.query.expires, request.query.signature)) return gone();
    const interaction = await platformEm(app.orm).findOne(Interaction, { id });
    if (!interaction?.recordingRef) return gone();
    const file = recordingFile(app.config, interaction.recordingRef);
    const info = await stat(file).catch(() => null);
    if (!info) return gone();
    return reply
      .header('content-type', 'audio/wav')
      .header('content-length', info.size)
      .header('cache-control', 'private, no-store')
      .send(createReadStream(file));
  });
}
