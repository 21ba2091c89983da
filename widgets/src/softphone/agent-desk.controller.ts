import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { GraphqlSocket, OperationError, type ConnectionStatus } from '../core/transport.js';
import { Q } from './agent-desk.documents.js';

export interface Disposition {
  id: string;
  code: string;
  label: string;
}
export interface DeskMessage {
  id: string;
  sender: 'AGENT' | 'CUSTOMER' | 'SYSTEM';
  body: string;
  createdAt: string;
}
export interface DeskInteraction {
  id: string;
  channel: string;
  direction: 'INBOUND' | 'OUTBOUND';
  state: string;
  customerAddress: string | null;
  screenPopUrl: string | null;
  contact: { name: string | null } | null;
  campaign: { name: string; dispositions: Disposition[] } | null;
}
export interface Handling {
  interaction: DeskInteraction;
  messages: DeskMessage[];
  /** The agent pressed "End": the disposition form is shown. */
  closing: boolean;
}


/** Signed-in agent: the tokens, the routing state, offers and the interactions being handled. */
export class AgentDeskController implements ReactiveController {
  socket?: GraphqlSocket;
  connection: ConnectionStatus = 'offline';
  agent: { id: string; name: string } | null = null;
  status = 'OFFLINE';
  pauseReason: string | null = null;
  offers: DeskInteraction[] = [];
  handling: Handling[] = [];
  error: string | null = null;
  private token = '';
  private refreshToken = '';
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private unsubscribe?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: () => { url: string },
    private readonly on: { answered(i: DeskInteraction): void; ready(socket: GraphqlSocket): void },
  ) {
    host.addController(this);
  }

  hostConnected() {}

  hostDisconnected() {
    this.disconnect();
  }

  private changed() {
    this.host.requestUpdate();
  }

  private fail(err: unknown) {
    this.error = err instanceof OperationError ? (err.code ?? err.message) : 'NETWORK';
    this.changed();
  }

  async signIn(email: string, password: string, tenant?: string) {
    this.error = null;
    const socket = new GraphqlSocket(this.config().url);
    try {
      const { signIn } = await socket.request<{ signIn: Auth }>(Q.signIn, { i: { email, password, ...(tenant && { tenant }) } });
      socket.close();
      this.keep(signIn);
      await this.useToken(signIn.accessToken);
    } catch (err) {
      socket.close();
      this.fail(err);
    }
  }

  /** A token from the host page (the host keeps it fresh and sets it again). */
  async useToken(token: string) {
    if (token === this.token && this.socket) return;
    this.disconnect();
    this.token = token;
    this.socket = new GraphqlSocket(this.config().url, {
      connectionParams: () => ({ authorization: `Bearer ${this.token}` }),
      fatal: (code) => code === 4401 || code === 4403,
      onStatus: (s, reason) => {
        this.connection = s;
        if (s === 'offline' && reason?.startsWith('UNAUTHENTICATED')) this.forget('UNAUTHENTICATED');
        this.changed();
      },
    });
    try {
      const { viewer, myAgentState } = await this.socket.request<{ viewer: { user: { id: string; name: string } | null }; myAgentState: { status: string; pauseReason: string | null } }>(Q.viewer);
      if (!viewer.user) throw new OperationError([{ message: 'Sign in as an agent', extensions: { code: 'FORBIDDEN' } }]);
      this.agent = viewer.user;
      this.status = myAgentState.status;
      this.pauseReason = myAgentState.pauseReason;
      this.listen();
      await this.loadCurrent();
      this.on.ready(this.socket);
    } catch (err) {
      this.disconnect();
      this.fail(err);
    }
    this.changed();
  }

  private keep(auth: Auth) {
    this.refreshToken = auth.refreshToken;
    clearTimeout(this.refreshTimer);
    const inMs = new Date(auth.accessTokenExpiresAt).getTime() - Date.now() - 60_000;
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.max(inMs, 5_000));
  }

  private async refresh() {
    try {
      const { refreshSession } = await this.socket!.request<{ refreshSession: Auth }>(Q.refresh, { r: this.refreshToken });
      this.keep(refreshSession);
      this.token = refreshSession.accessToken;
    } catch (err) {
      this.fail(err);
    }
  }

  /** Offers and conversations already under way (after a reload or a new sign-in). */
  private async loadCurrent() {
    const list = async (q: string) =>
      (await this.socket!.request<{ interactions: { edges: { node: DeskInteraction }[] } }>(q)).interactions.edges.map((e) => e.node);
    this.offers = await list(Q.offered);
    for (const i of [...(await list(Q.mine)), ...(await list(Q.wrapping))]) await this.handle(i, false);
  }

  private listen() {
    this.unsubscribe = this.socket!.subscribe<{ interactionEvents: { kind: string; interaction: DeskInteraction; message: DeskMessage | null } }>(
      Q.events,
      () => ({ a: this.lastMessageId() }),
      ({ interactionEvents: e }) => this.event(e.kind, e.interaction, e.message),
      (err) => this.fail(err),
    );
  }

  private lastMessageId(): string | null {
    const ids = this.handling.flatMap((h) => h.messages.map((m) => m.id)).sort();
    return ids.at(-1) ?? null;
  }

  private event(kind: string, i: DeskInteraction, message: DeskMessage | null) {
    const h = this.handling.find((x) => x.interaction.id === i.id);
    if (kind === 'OFFERED' && !h) this.offers = [...this.offers.filter((o) => o.id !== i.id), i];
    if (['RETURNED', 'ABANDONED', 'TRANSFERRED', 'CLOSED'].includes(kind)) this.offers = this.offers.filter((o) => o.id !== i.id);
    // a call is answered on the phone (or by the customer called), not with acceptInteraction: the API reports it
    if (kind === 'ANSWERED' && !h && i.channel === 'VOICE') {
      this.offers = this.offers.filter((o) => o.id !== i.id);
      void this.handle(i, true).catch((err) => this.fail(err));
    }
    if (h) {
      h.interaction = i;
      if (message && !h.messages.some((m) => m.id === message.id)) h.messages = [...h.messages, message].sort((a, b) => (a.id < b.id ? -1 : 1));
      // a call the customer ended is CLOSED for the call but WRAP_UP for the agent, who records the outcome
      if (kind === 'TRANSFERRED' || (kind === 'CLOSED' && i.state !== 'WRAP_UP')) this.handling = this.handling.filter((x) => x !== h);
      else if (i.state === 'WRAP_UP') h.closing = true;
    }
    if (kind === 'ANSWERED' || kind === 'CLOSED') void this.refreshState();
    this.changed();
  }

  private async refreshState() {
    const { myAgentState } = await this.socket!.request<{ myAgentState: { status: string; pauseReason: string | null } }>(Q.myState).catch(() => ({ myAgentState: null }));
    if (myAgentState) Object.assign(this, { status: myAgentState.status, pauseReason: myAgentState.pauseReason });
    this.changed();
  }

  private async handle(i: DeskInteraction, answered: boolean) {
    const { interaction } = await this.socket!.request<{ interaction: { messages: { edges: { node: DeskMessage }[] } } }>(Q.messages, { id: i.id });
    const messages = interaction.messages.edges.map((e) => e.node);
    if (this.handling.some((h) => h.interaction.id === i.id)) return; // the event and the mutation both told us
    this.handling = [...this.handling, { interaction: i, messages, closing: i.state === 'WRAP_UP' }];
    if (answered) this.on.answered(i);
  }

  async setState(status: string, pauseReason?: string) {
    this.error = null;
    try {
      const { setMyAgentState } = await this.socket!.request<{ setMyAgentState: { status: string; pauseReason: string | null } }>(Q.state, { s: status, r: pauseReason || null });
      this.status = setMyAgentState.status;
      this.pauseReason = setMyAgentState.pauseReason;
    } catch (err) {
      this.fail(err);
    }
    this.changed();
  }

  async accept(id: string) {
    this.error = null;
    try {
      const { acceptInteraction } = await this.socket!.request<{ acceptInteraction: DeskInteraction }>(Q.accept, { id });
      this.offers = this.offers.filter((o) => o.id !== id);
      await this.handle(acceptInteraction, true);
      await this.refreshState();
    } catch (err) {
      this.offers = this.offers.filter((o) => o.id !== id);
      this.fail(err);
    }
  }

  async decline(id: string) {
    this.offers = this.offers.filter((o) => o.id !== id);
    await this.socket!.request(Q.decline, { id }).catch((err) => this.fail(err));
    this.changed();
  }

  async send(id: string, body: string): Promise<boolean> {
    try {
      const { sendMessage } = await this.socket!.request<{ sendMessage: DeskMessage }>(Q.send, { id, b: body });
      this.event('MESSAGE', this.handling.find((h) => h.interaction.id === id)!.interaction, sendMessage);
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  typing(id: string, on: boolean) {
    this.socket?.request(Q.typing, { id, on }).catch(() => {});
  }

  startClosing(id: string, closing = true) {
    const h = this.handling.find((x) => x.interaction.id === id);
    if (h) h.closing = closing;
    this.changed();
  }

  async close(id: string, dispositionId: string | null, notes: string) {
    this.error = null;
    try {
      await this.socket!.request(Q.close, { id, d: dispositionId, n: notes || null });
      this.handling = this.handling.filter((h) => h.interaction.id !== id);
      await this.refreshState();
    } catch (err) {
      this.fail(err);
    }
    this.changed();
  }

  async signOut() {
    await this.socket?.request(Q.signOut).catch(() => {});
    this.forget(null);
  }

  private forget(error: string | null) {
    this.disconnect();
    this.agent = null;
    this.token = '';
    this.offers = [];
    this.handling = [];
    this.error = error;
    this.changed();
  }

  private disconnect() {
    clearTimeout(this.refreshTimer);
    this.unsubscribe?.();
    this.socket?.close();
    this.socket = undefined;
    this.connection = 'offline';
  }
}

interface Auth {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  user: { id: string; name: string };
}
