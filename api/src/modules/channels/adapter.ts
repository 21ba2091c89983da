import type { DeliveryState } from '../interactions/interaction.entity.js';

/** What a provider answered to one send. */
export type SendResult =
  | { ok: true; providerId: string; state: DeliveryState }
  /** `permanent`: the provider refused the message itself (4xx); else it may go through later (5xx, 429, network). */
  | { ok: false; permanent: boolean; reason: string };

/** Provider calls give up after this long; the job retries later. */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** A provider's answer that is no success, in its own words, cut to what the message row keeps. */
export const failure = (permanent: boolean, reason: string): SendResult => ({ ok: false, permanent, reason: reason.slice(0, 500) });

/** 4xx other than 408/429 are the message's fault: sending it again changes nothing. */
export const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/** An inbound message, as each adapter parses its provider's webhook. */
export interface InboundText {
  /** The provider's id of the message: a retried webhook carries the same one. */
  providerId: string;
  /** The customer's identifier on the channel, as received (phone number, Telegram user id). */
  from: string;
  name?: string;
  body: string;
}
