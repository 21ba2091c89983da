/** Published per tenant: a request to one agent's softphone (it listens with `softphoneCommands`). */
export const SOFTPHONE_COMMAND = 'SOFTPHONE_COMMAND';

export enum SoftphoneCommandKind {
  /** Place a call to `number`. */
  DIAL = 'DIAL',
  /** Blind-transfer the call of `interactionId`: send REFER with `Refer-To: <referTo>`. */
  TRANSFER = 'TRANSFER',
}

export interface SoftphoneCommandPayload {
  userId: string;
  kind: SoftphoneCommandKind;
  /** DIAL: the E.164 number. */
  number?: string;
  /** DIAL: the caller ID the API will present (informative; the route decision sets it). */
  callerId?: string;
  /** TRANSFER: the interaction whose call is transferred, the URI to REFER to, and who it goes to (a queue's or an agent's name). */
  interactionId?: string;
  referTo?: string;
  target?: string;
  at: string;
}
