import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App } from '../../../platform/context.js';

/** How long a recording link works. */
export const RECORDING_URL_TTL_SECONDS = 300;
export const RECORDING_PATH = '/recordings';

const signature = (app: App, interactionId: string, expires: number) =>
  createHmac('sha256', app.tokenSecret).update(`recording:${interactionId}:${expires}`).digest('base64url');

/** A link to the interaction's WAV that anyone holding it may fetch until it expires. */
export function signedRecordingUrl(app: App, interactionId: string): string {
  const expires = Math.floor(app.clock.now().getTime() / 1000) + RECORDING_URL_TTL_SECONDS;
  return `${app.config.publicUrl ?? ''}${RECORDING_PATH}/${interactionId}.wav?expires=${expires}&signature=${signature(app, interactionId, expires)}`;
}

/** Whether a link's signature is ours and it has not expired. */
export function verifyRecordingUrl(app: App, interactionId: string, expires: unknown, given: unknown): boolean {
  const at = Number(expires);
  if (!Number.isInteger(at) || typeof given !== 'string' || at * 1000 < app.clock.now().getTime()) return false;
  const expected = Buffer.from(signature(app, interactionId, at));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
