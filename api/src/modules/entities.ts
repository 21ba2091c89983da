import { PlatformSetting } from '../platform/db/platform-setting.entity.js';
import { ThrottleRow } from '../platform/throttle/throttle.entity.js';
import { AccountContact } from './identity/account-contact.entity.js';
import { ApiKey } from './identity/api-key.entity.js';
import { SecurityGroup, SecurityGroupMember } from './identity/security-group.entity.js';
import { Session } from './identity/session.entity.js';
import { User } from './identity/user.entity.js';
import { Licence } from './licensing/licence.entity.js';
import { LicencePolicy } from './licensing/licence-policy.entity.js';
import { Tenant } from './tenants/tenant.entity.js';
import { SupportPolicy } from './tickets/support-policy.entity.js';
import { MaintenanceWindow, StatusComponent, StatusIncident, StatusIncidentUpdate, StatusServer, StatusSubscriber } from './status/status.entity.js';
import { Ticket, TicketComment, TicketCounter, TicketEscalation, TicketTimer } from './tickets/ticket.entity.js';
import { BillingAccount, BillingEvent } from './billing/billing.entity.js';
import { Contact, ContactIdentifier } from './contacts/contact.entity.js';
import { BlacklistEntry } from './contacts/blacklist.entity.js';
import { ContactNote } from './contacts/contact-note.entity.js';
import { Queue, QueueMember } from './queues/queue.entity.js';
import { Campaign, Disposition } from './campaigns/campaign.entity.js';
import { AgentState } from './agents/agent-state.entity.js';
import { Interaction, InteractionOffer, Message } from './interactions/interaction.entity.js';
import { ChannelAccount, ChannelMessage } from './channels/channel-account.entity.js';
import { VisitorSession, WidgetKey } from './webchat/webchat.entity.js';
import { Did, SipTrunk } from './telephony/calls/trunk.entity.js';
import { Call } from './telephony/calls/call.entity.js';
import { CallTransfer } from './telephony/transfers/call-transfer.entity.js';
import { SipRegistration } from './telephony/sip/sip-registration.entity.js';

/** Every entity the ORM knows. A new module adds its entities here and a migration. */
export const entities = [
  PlatformSetting,
  ThrottleRow,
  LicencePolicy,
  Tenant,
  Licence,
  User,
  SecurityGroup,
  SecurityGroupMember,
  AccountContact,
  Session,
  ApiKey,
  BillingAccount,
  BillingEvent,
  Contact,
  ContactIdentifier,
  BlacklistEntry,
  ContactNote,
  Queue,
  QueueMember,
  Campaign,
  Disposition,
  AgentState,
  Interaction,
  Message,
  InteractionOffer,
  WidgetKey,
  VisitorSession,
  SupportPolicy,
  TicketCounter,
  Ticket,
  TicketComment,
  TicketTimer,
  TicketEscalation,
  StatusComponent,
  StatusServer,
  StatusIncident,
  StatusIncidentUpdate,
  MaintenanceWindow,
  StatusSubscriber,
  SipTrunk,
  Did,
  Call,
  CallTransfer,
  SipRegistration,
  ChannelAccount,
  ChannelMessage,
];
