import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { GraphqlSocket, OperationError, type ConnectionStatus } from '../core/transport.js';
import { forget, load, save } from '../core/storage.js';

export type Sender = 'CUSTOMER' | 'AGENT' | 'SYSTEM';
export interface ChatMessage {
  id: string;
  sender: Sender;
  agentName: string | null;
  body: string;
  createdAt: string;
}
/**
 * form: before a chat (open hours); away-form: out of hours, a message left for the next opening;
 * closed: out of hours, only the campaign's message; chatting; left: the message was left; ended.
 */
export type ChatPhase = 'loading' | 'form' | 'away-form' | 'closed' | 'chatting' | 'left' | 'ended' | 'unavailable';

const MESSAGE = 'id sender agentName body createdAt';
const WIDGET = 'query($k: String!) { chatWidget(widgetKey: $k) { open outOfHoursAction outOfHoursMessage welcomeMessage } }';
const START = `mutation($k: String!, $i: StartChatInput!) { startChat(widgetKey: $k, input: $i) { token outcome closedMessage conversation { state agentName messages { ${MESSAGE} } } } }`;
const CONVERSATION = `query($t: String!) { visitorConversation(token: $t) { state agentName messages { ${MESSAGE} } } }`;
const EVENTS = `subscription($t: String!, $a: ID) { visitorEvents(token: $t, afterMessageId: $a) { kind agentTyping state agentName message { ${MESSAGE} } } }`;
const SEND = `mutation($t: String!, $b: String!) { sendVisitorMessage(token: $t, body: $b) { ${MESSAGE} } }`;
const TYPING = 'mutation($t: String!, $on: Boolean!) { visitorTyping(token: $t, typing: $on) }';
const LEAVE = 'mutation($t: String!) { leaveChat(token: $t) }';

const ENDED = ['CLOSED', 'ABANDONED', 'WRAP_UP'];

interface Conversation {
  state: string | null;
  agentName: string | null;
  messages: ChatMessage[];
}
interface VisitorEvent {
  kind: 'MESSAGE' | 'TYPING' | 'STATE';
  agentTyping: boolean | null;
  state: string | null;
  agentName: string | null;
  message: ChatMessage | null;
}

/**
 * A website visitor's chat: the conversation, live events, typing and unread count. The session
 * token is kept in localStorage per widget key, so a reload continues the same chat; after a
 * dropped connection the subscription resumes from the last message seen (the API replays the
 * missed ones first), and messages are kept by id so none shows twice.
 */
export class VisitorChatController implements ReactiveController {
  phase: ChatPhase = 'loading';
  messages: ChatMessage[] = [];
  agentName: string | null = null;
  agentTyping = false;
  /** The last message the visitor has seen (panel open), kept across reloads for the unread count. */
  private readUpTo = '';
  connection: ConnectionStatus = 'connecting';
  /** The campaign's out-of-hours or welcome text. */
  notice: string | null = null;
  error: string | null = null;
  private socket?: GraphqlSocket;
  private unsubscribe?: () => void;
  private token?: string;
  private typingSent = false;
  private typingTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly isOpen: boolean },
    private readonly config: () => { widgetKey: string; url: string },
  ) {
    host.addController(this);
  }

  private get storageKey() {
    return `sb-webchat:${this.config().widgetKey}`;
  }

  hostConnected() {
    const { url, widgetKey } = this.config();
    if (!widgetKey) return;
    this.socket = new GraphqlSocket(url, { onStatus: (s) => ((this.connection = s), this.host.requestUpdate()) });
    const stored = load<{ token: string; readUpTo?: string }>(this.storageKey);
    this.token = stored?.token;
    this.readUpTo = stored?.readUpTo ?? '';
    void (this.token ? this.resume() : this.prepare());
  }

  hostDisconnected() {
    this.unsubscribe?.();
    this.socket?.close();
    this.socket = undefined;
  }

  private update() {
    this.host.requestUpdate();
  }

  private fail(err: unknown) {
    const code = err instanceof OperationError ? err.code : undefined;
    this.error = code ?? 'NETWORK';
    if (code === 'ORIGIN_NOT_ALLOWED' || (code === 'NOT_FOUND' && !this.token)) this.phase = 'unavailable';
    this.update();
  }

  /** Before a chat: is the campaign open, and which form to show. */
  private async prepare() {
    try {
      const { chatWidget: w } = await this.socket!.request<{ chatWidget: { open: boolean; outOfHoursAction: string; outOfHoursMessage: string | null; welcomeMessage: string | null } }>(WIDGET, { k: this.config().widgetKey });
      if (w.open || w.outOfHoursAction === 'QUEUE') {
        this.phase = 'form';
        this.notice = w.welcomeMessage;
      } else {
        this.phase = w.outOfHoursAction === 'LEAVE_MESSAGE' ? 'away-form' : 'closed';
        this.notice = w.outOfHoursMessage;
      }
    } catch (err) {
      this.fail(err);
    }
    this.update();
  }

  /** After a reload: the stored chat, then live events from its last message. */
  private async resume() {
    try {
      const { visitorConversation: c } = await this.socket!.request<{ visitorConversation: Conversation }>(CONVERSATION, { t: this.token });
      this.apply(c);
      if (this.phase === 'chatting') this.listen();
    } catch (err) {
      if (err instanceof OperationError && err.code === 'NOT_FOUND') {
        this.forgetChat();
        return this.prepare();
      }
      this.fail(err);
    }
  }

  private apply(c: Conversation) {
    for (const m of c.messages) this.add(m);
    this.agentName = c.agentName ?? this.agentName;
    this.phase = c.state && ENDED.includes(c.state) ? 'ended' : 'chatting';
    this.update();
  }

  private add(m: ChatMessage) {
    if (this.messages.some((x) => x.id === m.id)) return;
    this.messages = [...this.messages, m].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (m.sender === 'AGENT') this.agentTyping = false;
    if (this.host.isOpen) this.markRead();
  }

  /** Messages from the agent the visitor has not seen yet. */
  get unread(): number {
    return this.messages.filter((m) => m.sender !== 'CUSTOMER' && m.id > this.readUpTo).length;
  }

  private listen() {
    this.unsubscribe?.();
    this.unsubscribe = this.socket!.subscribe<{ visitorEvents: VisitorEvent }>(
      EVENTS,
      () => ({ t: this.token, a: this.messages.at(-1)?.id ?? null }),
      ({ visitorEvents: e }) => {
        if (e.kind === 'MESSAGE' && e.message) this.add(e.message);
        if (e.kind === 'TYPING') this.agentTyping = !!e.agentTyping;
        if (e.agentName) this.agentName = e.agentName;
        if (e.kind === 'STATE' && e.state && ENDED.includes(e.state)) {
          this.phase = 'ended';
          this.agentTyping = false;
        }
        this.update();
      },
      (err) => this.fail(err),
    );
  }

  async start(input: { name?: string; email?: string; message: string }) {
    this.error = null;
    try {
      const { startChat: s } = await this.socket!.request<{ startChat: { token: string; outcome: string; closedMessage: string | null; conversation: Conversation } }>(START, {
        k: this.config().widgetKey,
        i: { message: input.message, ...(input.name && { name: input.name }), ...(input.email && { email: input.email }) },
      });
      if (s.outcome === 'CLOSED') {
        this.phase = 'closed';
        this.notice = s.closedMessage;
        return this.update();
      }
      this.token = s.token;
      this.readUpTo = s.conversation.messages.at(-1)?.id ?? '';
      save(this.storageKey, { token: s.token, readUpTo: this.readUpTo });
      this.apply(s.conversation);
      if (s.outcome === 'LEFT_MESSAGE') this.phase = 'left';
      this.listen();
    } catch (err) {
      this.fail(err);
    }
  }

  async send(body: string): Promise<boolean> {
    if (!this.token || !body.trim()) return false;
    this.error = null;
    try {
      this.stopTyping();
      const { sendVisitorMessage: m } = await this.socket!.request<{ sendVisitorMessage: ChatMessage }>(SEND, { t: this.token, b: body });
      this.add(m);
      this.update();
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  /** Call on every keystroke: tells the agent once, and that it stopped after a pause. */
  typing() {
    if (!this.token || this.phase !== 'chatting') return;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 3000);
    if (this.typingSent) return;
    this.typingSent = true;
    this.socket!.request(TYPING, { t: this.token, on: true }).catch(() => {});
  }

  private stopTyping() {
    clearTimeout(this.typingTimer);
    if (!this.typingSent || !this.token) return;
    this.typingSent = false;
    this.socket!.request(TYPING, { t: this.token, on: false }).catch(() => {});
  }

  markRead() {
    const last = this.messages.at(-1)?.id ?? '';
    if (!this.token || last <= this.readUpTo) return;
    this.readUpTo = last;
    save(this.storageKey, { token: this.token, readUpTo: last });
    this.update();
  }

  async leave() {
    if (this.token && this.phase === 'chatting') await this.socket!.request(LEAVE, { t: this.token }).catch(() => {});
    this.forgetChat();
    await this.prepare();
  }

  private forgetChat() {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.token = undefined;
    this.messages = [];
    this.agentName = null;
    this.agentTyping = false;
    this.readUpTo = '';
    forget(this.storageKey);
  }
}
