/**
 * Named helpers for the contact centre: contacts and their notes and interactions, agents'
 * actions on interactions, queue figures, and live events that resume after a lost connection.
 * Anything else is one `client.request(<Operation>Document, variables)` away.
 */
import type { CoreClient } from './client.js';
import { mapEvents } from './events.js';
import {
  AcceptInteractionDocument,
  AddContactNoteDocument,
  AgentStateChangedDocument,
  CloseInteractionDocument,
  ContactByIdentifierDocument,
  ContactDocument,
  ContactInteractionsDocument,
  ContactNotesDocument,
  ContactsDocument,
  CreateContactDocument,
  InteractionDocument,
  InteractionEventsDocument,
  InteractionMessagesDocument,
  InteractionsDocument,
  QueueStatsDocument,
  QueueStatsUpdatesDocument,
  SendMessageDocument,
  SetMyAgentStateDocument,
  TransferInteractionDocument,
  VisitorEventsDocument,
  type AgentStateFieldsFragment,
  type AgentStatus,
  type ContactFieldsFragment,
  type ContactNoteFieldsFragment,
  type ContactsQuery,
  type ContactsQueryVariables,
  type CreateContactInput,
  type IdentifierKind,
  type InteractionEventsSubscription,
  type InteractionEventsSubscriptionVariables,
  type InteractionFieldsFragment,
  type InteractionFilter,
  type InteractionsQuery,
  type MessageFieldsFragment,
  type QueueStatsFieldsFragment,
  type VisitorEventsSubscription,
} from './generated/graphql.js';

export type InteractionEvent = InteractionEventsSubscription['interactionEvents'];
export type VisitorEvent = VisitorEventsSubscription['visitorEvents'];

export interface ContactCentreHelpers {
  /** One page of contacts; `search` matches names and whole identifiers in any spelling. */
  contacts(variables?: ContactsQueryVariables): Promise<ContactsQuery['contacts']>;
  /** Every contact (optionally matching `search`), page by page. */
  allContacts(variables?: Omit<ContactsQueryVariables, 'after'>): AsyncGenerator<ContactFieldsFragment, void, undefined>;
  contact(id: string): Promise<ContactFieldsFragment>;
  /** The contact a phone number, e-mail address or handle belongs to, or null. */
  contactByIdentifier(kind: IdentifierKind, value: string): Promise<ContactFieldsFragment | null>;
  createContact(input: CreateContactInput): Promise<ContactFieldsFragment>;
  /** Everything one customer did, on every channel, oldest first. */
  contactInteractions(contactId: string, pageSize?: number): AsyncGenerator<InteractionFieldsFragment, void, undefined>;
  /** A contact's notes, oldest first. */
  contactNotes(contactId: string, pageSize?: number): AsyncGenerator<ContactNoteFieldsFragment, void, undefined>;
  /** Adds a note to a contact, signed by the caller (the person, or the API key's name). */
  addContactNote(contactId: string, body: string): Promise<ContactNoteFieldsFragment>;

  /** One page of interactions matching the filter. */
  interactions(filter?: InteractionFilter, page?: { first?: number; after?: string | null }): Promise<InteractionsQuery['interactions']>;
  /** Every interaction matching the filter, page by page. */
  allInteractions(filter?: InteractionFilter, pageSize?: number): AsyncGenerator<InteractionFieldsFragment, void, undefined>;
  interaction(id: string): Promise<InteractionFieldsFragment>;
  /** Every message of an interaction, oldest first. */
  interactionMessages(interactionId: string, pageSize?: number): AsyncGenerator<MessageFieldsFragment, void, undefined>;
  acceptInteraction(id: string): Promise<InteractionFieldsFragment>;
  sendMessage(interactionId: string, body: string): Promise<MessageFieldsFragment>;
  closeInteraction(id: string, outcome?: { dispositionId?: string; notes?: string }): Promise<InteractionFieldsFragment>;
  /** To a queue, or to an agent who can take it now. */
  transferInteraction(id: string, to: { queueId: string } | { agentId: string }): Promise<InteractionFieldsFragment>;
  setMyAgentState(status: AgentStatus, pauseReason?: string): Promise<AgentStateFieldsFragment>;
  /** Wallboard figures of some queues (all when none are given). */
  queueStats(queueIds?: string[]): Promise<QueueStatsFieldsFragment[]>;

  /**
   * Interactions created, offered, answered, messaged, transferred and closed (agents: their own).
   * Resumes after a lost connection from the last message delivered, without duplicates; pass
   * `afterMessageId` (the last message you already have) to start with the ones written since.
   */
  interactionEvents(variables?: InteractionEventsSubscriptionVariables): AsyncIterableIterator<InteractionEvent>;
  /** A visitor's chat live (messages, agent typing, state), resuming like `interactionEvents`. */
  visitorEvents(token: string, afterMessageId?: string): AsyncIterableIterator<VisitorEvent>;
  /** Agents' state changes, optionally of some agents only. */
  agentStateChanges(userIds?: string[]): AsyncIterableIterator<AgentStateFieldsFragment>;
  /** Queue figures now, then whenever they change. */
  queueStatsUpdates(queueIds?: string[]): AsyncIterableIterator<QueueStatsFieldsFragment[]>;
}

export function contactCentreHelpers({ request, paginate, subscribe }: CoreClient): ContactCentreHelpers {
  return {
    contacts: async (variables = {}) => (await request(ContactsDocument, variables)).contacts,
    allContacts: (variables = {}) => paginate(ContactsDocument, variables, (data) => data.contacts),
    contact: async (id) => (await request(ContactDocument, { id })).contact,
    contactByIdentifier: async (kind, value) => (await request(ContactByIdentifierDocument, { kind, value })).contactByIdentifier,
    createContact: async (input) => (await request(CreateContactDocument, { input })).createContact,
    contactInteractions: (contactId, first = 50) =>
      paginate(ContactInteractionsDocument, { contactId, first }, (data) => data.contact.interactions),
    contactNotes: (contactId, first = 50) => paginate(ContactNotesDocument, { contactId, first }, (data) => data.contact.notes),
    addContactNote: async (contactId, body) => (await request(AddContactNoteDocument, { contactId, body })).addContactNote,

    interactions: async (filter, page = {}) => (await request(InteractionsDocument, { filter, ...page })).interactions,
    allInteractions: (filter, first = 50) => paginate(InteractionsDocument, { filter, first }, (data) => data.interactions),
    interaction: async (id) => (await request(InteractionDocument, { id })).interaction,
    interactionMessages: (interactionId, first = 100) =>
      paginate(InteractionMessagesDocument, { interactionId, first }, (data) => data.interaction.messages),
    acceptInteraction: async (id) => (await request(AcceptInteractionDocument, { id })).acceptInteraction,
    sendMessage: async (interactionId, body) => (await request(SendMessageDocument, { interactionId, body })).sendMessage,
    closeInteraction: async (id, outcome = {}) => (await request(CloseInteractionDocument, { id, ...outcome })).closeInteraction,
    transferInteraction: async (id, to) => (await request(TransferInteractionDocument, { id, ...to })).transferInteraction,
    setMyAgentState: async (status, pauseReason) => (await request(SetMyAgentStateDocument, { status, pauseReason })).setMyAgentState,
    queueStats: async (queueIds) => (await request(QueueStatsDocument, { queueIds })).queueStats,

    interactionEvents: (variables = {}) =>
      mapEvents(
        subscribe(InteractionEventsDocument, variables, {
          resume: { variable: 'afterMessageId', cursorOf: (data) => data.interactionEvents.message?.id },
        }),
        (data) => data.interactionEvents,
      ),
    visitorEvents: (token, afterMessageId) =>
      mapEvents(
        subscribe(VisitorEventsDocument, { token, afterMessageId }, {
          resume: { variable: 'afterMessageId', cursorOf: (data) => data.visitorEvents.message?.id },
        }),
        (data) => data.visitorEvents,
      ),
    agentStateChanges: (userIds) => mapEvents(subscribe(AgentStateChangedDocument, { userIds }), (data) => data.agentStateChanged),
    queueStatsUpdates: (queueIds) => mapEvents(subscribe(QueueStatsUpdatesDocument, { queueIds }), (data) => data.queueStats),
  };
}
