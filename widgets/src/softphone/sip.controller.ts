import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UA, WebSocketInterface } from 'jssip';
import type { RTCSessionEvent } from 'jssip/lib/UA.js';
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import type { SipCredentials } from './sip-credentials.js';

/** Audio only; no STUN/TURN: rtpengine is the ICE peer on the public address (ICE-lite). */
const MEDIA = { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } };

export type Registration = 'off' | 'registering' | 'registered' | 'failed';

/**
 * Why the phone is not registered, for the agent: the page's origin may not open the SIP WebSocket
 * (the API said so: a browser cannot see Kamailio's 403), the registrar refused the credentials,
 * or the WebSocket could not be opened or dropped.
 */
export type RegistrationProblem = 'origin' | 'credentials' | 'unreachable';

export interface CallState {
  direction: 'incoming' | 'outgoing';
  remote: string;
  status: 'ringing' | 'connecting' | 'active';
  /** Date.now() when the call was answered, for the timer. */
  answeredAt: number | null;
  muted: boolean;
  held: boolean;
}

/**
 * JsSIP over WebSocket to the Kamailio gateway: registers with the credentials the API hands out,
 * places and takes one call at a time, and plays the remote audio. The call itself (SDP, media,
 * relay) is JsSIP, the browser's WebRTC, Kamailio and rtpengine; this only drives it.
 */
export class SipController implements ReactiveController {
  registration: Registration = 'off';
  call: CallState | null = null;
  /** The last outgoing call that did not connect: who, and the SIP answer (or JsSIP's cause). */
  failure: { remote: string; cause: string } | null = null;
  /** Why the phone is not registered (null while registering or registered). */
  problem: RegistrationProblem | null = null;
  private ua?: UA;
  private session?: RTCSession;
  private domain = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly audio: () => HTMLAudioElement | null,
  ) {
    host.addController(this);
  }

  hostConnected() {}

  hostDisconnected() {
    this.stop();
  }

  private changed() {
    this.host.requestUpdate();
  }

  start(credentials: SipCredentials) {
    this.stop();
    this.domain = credentials.uri.replace(/^sips?:[^@]*@/, '');
    const ua = new UA({
      sockets: [new WebSocketInterface(credentials.wsUrl)],
      uri: credentials.uri,
      authorization_user: credentials.username,
      password: credentials.password,
      register: true,
      session_timers: false,
      user_agent: 'Switchboard softphone',
    });
    ua.on('registered', () => ((this.registration = 'registered'), (this.problem = null), this.changed()));
    ua.on('unregistered', () => ((this.registration = 'off'), this.changed()));
    ua.on('registrationFailed', ({ cause }: { cause?: string }) => {
      this.registration = 'failed';
      this.problem = cause === 'Authentication Error' || cause === 'Rejected' ? 'credentials' : 'unreachable';
      this.changed();
    });
    // the WebSocket did not open (refused, unreachable) or dropped: JsSIP retries, the agent is told
    ua.on('disconnected', () => {
      if (this.ua !== ua) return;
      if (this.registration !== 'registered') this.registration = 'failed';
      this.problem ??= 'unreachable';
      this.changed();
    });
    ua.on('connected', () => {
      if (this.problem === 'unreachable') this.problem = null;
      this.changed();
    });
    ua.on('newRTCSession', (({ session, originator }: RTCSessionEvent) => {
      if (this.session) {
        if (originator === 'remote') session.terminate({ status_code: 486 });
        return;
      }
      this.track(session, originator === 'remote' ? 'incoming' : 'outgoing');
    }) as never);
    this.registration = 'registering';
    this.problem = null;
    this.ua = ua;
    ua.start();
    this.changed();
  }

  /**
   * Takes the contact off the registrar while the current password still works (a new issue voids
   * it); resolves when the registrar answered, or at once when not registered.
   */
  unregister(): Promise<void> {
    const ua = this.ua;
    if (!ua || this.registration !== 'registered') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => (ua.removeListener('unregistered', done), ua.removeListener('registrationFailed', done), resolve());
      ua.on('unregistered', done);
      ua.on('registrationFailed', done);
      ua.unregister();
    });
  }

  stop() {
    if (this.session && !this.session.isEnded()) this.session.terminate();
    const ua = this.ua;
    this.ua = undefined;
    ua?.stop();
    this.registration = 'off';
  }

  /** No credentials to register with, and why (the API refused this page's origin). */
  refused(problem: RegistrationProblem) {
    this.stop();
    this.registration = 'failed';
    this.problem = problem;
    this.changed();
  }

  private track(session: RTCSession, direction: 'incoming' | 'outgoing') {
    this.session = session;
    this.failure = null;
    this.call = { direction, remote: session.remote_identity.uri.user ?? '', status: direction === 'incoming' ? 'ringing' : 'connecting', answeredAt: null, muted: false, held: false };
    session.on('peerconnection', ({ peerconnection }) => {
      peerconnection.addEventListener('track', (event) => {
        const audio = this.audio();
        if (audio) audio.srcObject = event.streams[0];
      });
    });
    session.on('confirmed', () => {
      if (this.call) Object.assign(this.call, { status: 'active', answeredAt: Date.now() });
      this.changed();
    });
    const ended = () => {
      this.session = undefined;
      this.call = null;
      this.changed();
    };
    session.on('ended', ended);
    session.on('failed', ({ message, cause }) => {
      if (direction === 'outgoing') {
        const reply = message as { status_code?: number; reason_phrase?: string } | null; // a response when the far end refused
        const answer = reply?.status_code ? `${reply.status_code} ${reply.reason_phrase ?? ''}`.trim() : null;
        this.failure = { remote: this.call?.remote ?? '', cause: answer ?? cause ?? '?' };
      }
      ended();
    });
    session.on('hold', () => (this.call && (this.call.held = true), this.changed()));
    session.on('unhold', () => (this.call && (this.call.held = false), this.changed()));
    session.on('muted', () => (this.call && (this.call.muted = true), this.changed()));
    session.on('unmuted', () => (this.call && (this.call.muted = false), this.changed()));
    this.changed();
  }

  private target(number: string): string {
    return /^sips?:/.test(number) ? number : `sip:${number.replace(/[^\d+*#a-zA-Z.]/g, '')}@${this.domain}`;
  }

  dial(number: string) {
    if (!this.ua || this.session || !number.trim()) return;
    this.ua.call(this.target(number), MEDIA);
  }

  answer() {
    if (this.call?.status !== 'ringing' || !this.session) return;
    this.call.status = 'connecting';
    this.session.answer(MEDIA);
    this.changed();
  }

  /** Hangs up, cancels an outgoing call, or declines a ringing one (486 Busy Here). */
  hangup() {
    if (!this.session || this.session.isEnded()) return;
    if (this.call?.direction === 'incoming' && this.call.status === 'ringing') this.session.terminate({ status_code: 486 });
    else this.session.terminate();
  }

  toggleMute() {
    if (!this.session || !this.call) return;
    if (this.call.muted) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
  }

  toggleHold() {
    if (!this.session || !this.call) return;
    if (this.call.held) this.session.unhold();
    else this.session.hold();
  }

  /** Why the last transfer did not happen (the REFER was refused: the call goes on), for the agent. */
  transferProblem: string | null = null;

  /** Blind transfer: REFER the other side to the URI the API issued (`transferInteraction`, then the TRANSFER command). */
  transfer(referTo: string) {
    if (!this.session || !referTo) return;
    this.transferProblem = null;
    this.session.refer(referTo, {
      eventHandlers: {
        requestFailed: (e: { response?: { status_code?: number; reason_phrase?: string }; cause?: string }) => {
          this.transferProblem = e.response ? `${e.response.status_code} ${e.response.reason_phrase ?? ''}`.trim() : String(e.cause ?? '');
          this.host.requestUpdate();
        },
      },
    });
  }

  dtmf(tone: string) {
    if (this.call?.status === 'active') this.session?.sendDTMF(tone);
  }
}
