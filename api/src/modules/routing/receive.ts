import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { tenantEm } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Contact, ContactIdentifier } from '../contacts/contact.entity.js';
import { blacklistMatch } from '../contacts/blacklist.service.js';
import { normaliseIdentifier } from '../contacts/identifiers.js';
import { Campaign, OutOfHoursAction } from '../campaigns/campaign.entity.js';
import { campaignCalendar } from '../campaigns/schedule.js';
import { addBusinessMinutes, isOpen } from '../tickets/sla.js';
import { CHANNEL_IDENTIFIER, DeliveryState, Direction, Interaction, InteractionState, Message, MessageSender, type Channel } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { dispatchQueue } from './dispatch.js';
import { publish, subject } from './routing.events.js';

export interface IncomingInteraction {
  channel: Channel;
  campaignId: string;
  /** The customer's phone number, address or handle on that channel, as received. */
  from: string;
  customerName?: string;
  subject?: string;
  firstMessage?: string;
}

export type Reception =
  | { outcome: 'QUEUED' | 'LEFT_MESSAGE'; interaction: Interaction }
  | { outcome: 'CLOSED'; message: string | null };

/**
 * Every channel hands new inbound interactions to this one function: blacklist, campaign schedule
 * and holidays (the out-of-hours action), contact, queue; then routing offers it to an agent.
 * A blacklisted sender is refused and logged; nothing reaches an agent.
 */
export async function receive(app: App, tenantId: string, input: IncomingInteraction): Promise<Reception> {
  const em = tenantEm(app.orm, tenantId);
  const kind = CHANNEL_IDENTIFIER[input.channel];
  const from = normaliseIdentifier(kind, input.from, 'from');
  const now = app.clock.now();
  const blocked = await blacklistMatch(em, tenantId, [{ kind, value: from }]);
  if (blocked) {
    app.log.info({ tenantId, channel: input.channel, entry: blocked.id }, 'refused a blacklisted sender');
    throw new AppError(ErrorCode.SENDER_BLOCKED, 'This conversation cannot be accepted');
  }
  const campaign = await em.findOne(Campaign, { id: input.campaignId, tenant: tenantId });
  if (!campaign || !campaign.active) throw notFound('Campaign');
  const calendar = campaignCalendar(campaign);
  let queuedAt = now;
  if (!isOpen(calendar, now)) {
    if (campaign.outOfHoursAction === OutOfHoursAction.MESSAGE) return { outcome: 'CLOSED', message: campaign.outOfHoursMessage ?? null };
    if (campaign.outOfHoursAction === OutOfHoursAction.LEAVE_MESSAGE) queuedAt = addBusinessMinutes(calendar, now, 0);
  }
  if (!campaign.defaultQueue) throw badInput('The campaign has no queue to route to', 'campaignId');

  const interaction = await em.transactional(async (tx) => {
    const contact = await contactFor(tx, tenantId, kind, from, input.customerName);
    const i = tx.create(Interaction, {
      tenant: tx.getReference(Tenant, tenantId),
      channel: input.channel,
      direction: Direction.INBOUND,
      state: InteractionState.QUEUED,
      customerAddress: from,
      contact,
      campaign,
      queue: campaign.defaultQueue,
      subject: input.subject?.slice(0, 300) ?? null,
      createdAt: now,
      queuedAt,
    });
    if (input.firstMessage) {
      tx.create(Message, {
        tenant: tenantId,
        interaction: i,
        sender: MessageSender.CUSTOMER,
        body: input.firstMessage,
        deliveryState: DeliveryState.DELIVERED,
        createdAt: now,
      });
    }
    return i;
  });
  publish(app, tenantId, InteractionEventKind.CREATED, subject(interaction));
  if (queuedAt > now) return { outcome: 'LEFT_MESSAGE', interaction };
  await dispatchQueue(app, tenantId, campaign.defaultQueue.id);
  return { outcome: 'QUEUED', interaction };
}

/** The contact owning the identifier, created on first contact. */
async function contactFor(tx: Em, tenantId: string, kind: ContactIdentifier['kind'], value: string, name?: string): Promise<Contact> {
  const known = await tx.findOne(ContactIdentifier, { tenant: tenantId, kind, value }, { populate: ['contact'] });
  if (known) return known.contact;
  const contact = tx.create(Contact, { tenant: tx.getReference(Tenant, tenantId), name: name?.trim().slice(0, 200) || null });
  tx.create(ContactIdentifier, { tenant: tenantId, contact, kind, value });
  return contact;
}

