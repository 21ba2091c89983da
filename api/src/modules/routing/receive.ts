import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { tenantEm } from '../../platform/db/orm.js';
import { emSql, type Sql } from '../../platform/db/sql.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Contact, ContactIdentifier } from '../contacts/contact.entity.js';
import { blacklistMatch } from '../contacts/blacklist.service.js';
import { normaliseIdentifier } from '../contacts/identifiers.js';
import { OutOfHoursAction, type Holiday, type OpeningHours } from '../campaigns/campaign.entity.js';
import { campaignCalendar } from '../campaigns/schedule.js';
import { addBusinessMinutes, isOpen } from '../tickets/sla.js';
import { CHANNEL_IDENTIFIER, Channel, DeliveryState, Direction, InteractionState, MessageSender } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { dispatchQueue } from './dispatch.js';
import { publish } from './routing.events.js';
import { uuidv7 } from '../../platform/ids.js';

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
  | { outcome: 'QUEUED' | 'LEFT_MESSAGE'; interaction: { id: string } }
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
  const [campaign] = await em.getConnection().execute<(CampaignRow & { licence_kind: string | null })[]>(
    `select active, time_zone, opening_hours, holidays, out_of_hours_action, out_of_hours_message, default_queue_id,
            (select kind from licence where tenant_id = campaign.tenant_id) as licence_kind
       from campaign where id = ? and tenant_id = ?`,
    [input.campaignId, tenantId],
  );
  if (!campaign || !campaign.active) throw notFound('Campaign');
  // written channels are OMNI seats: without them no agent could ever be offered the conversation
  if (input.channel !== Channel.VOICE && campaign.licence_kind !== 'OMNI') {
    app.log.warn({ tenantId, channel: input.channel, licence: campaign.licence_kind }, 'refused a written interaction: the tenant has no OMNI licence');
    throw new AppError(ErrorCode.LICENCE_REQUIRED, `${input.channel} conversations need an OMNI licence`);
  }
  const opening = whenQueued(campaign, input.channel, now);
  if (opening.closed) return { outcome: 'CLOSED', message: opening.message };
  const { queuedAt } = opening;
  const queueId = campaign.default_queue_id;
  if (!queueId) throw badInput('The campaign has no queue to route to', 'campaignId');

  const interaction = { id: uuidv7() };
  await insertInteraction(emSql(em), tenantId, { ...input, kind, from, id: interaction.id, queueId, now, queuedAt });
  publish(app, tenantId, InteractionEventKind.CREATED, { interactionId: interaction.id, queueId, agentId: null });
  if (queuedAt > now) return { outcome: 'LEFT_MESSAGE', interaction };
  await dispatchQueue(app, tenantId, queueId);
  return { outcome: 'QUEUED', interaction };
}

/**
 * The campaign's schedule and holidays: when the interaction joins the queue (now, or the next
 * opening for LEAVE_MESSAGE), or closed with the out-of-hours message. A caller cannot leave a
 * message yet (no voicemail): for voice LEAVE_MESSAGE ends like MESSAGE.
 */
export function whenQueued(
  campaign: Pick<CampaignRow, 'time_zone' | 'opening_hours' | 'holidays' | 'out_of_hours_action' | 'out_of_hours_message'>,
  channel: Channel,
  now: Date,
): { closed: true; message: string | null } | { closed: false; queuedAt: Date } {
  const calendar = campaignCalendar({ timeZone: campaign.time_zone, openingHours: campaign.opening_hours, holidays: campaign.holidays });
  if (isOpen(calendar, now)) return { closed: false, queuedAt: now };
  const noMessage = campaign.out_of_hours_action === OutOfHoursAction.LEAVE_MESSAGE && channel === Channel.VOICE;
  if (campaign.out_of_hours_action === OutOfHoursAction.MESSAGE || noMessage) return { closed: true, message: campaign.out_of_hours_message ?? null };
  if (campaign.out_of_hours_action === OutOfHoursAction.LEAVE_MESSAGE) return { closed: false, queuedAt: addBusinessMinutes(calendar, now, 0) };
  return { closed: false, queuedAt: now };
}

export interface CampaignRow {
  active: boolean;
  time_zone: string;
  opening_hours: OpeningHours[];
  holidays: Holiday[];
  out_of_hours_action: OutOfHoursAction;
  out_of_hours_message: string | null;
  default_queue_id: string | null;
}

/**
 * The new QUEUED interaction, its contact (found by the identifier, or created with it on first
 * contact) and its first message, in one statement: all of it is written or none. Without `from`
 * (an anonymous caller) there is no contact and no customer address.
 */
export async function insertInteraction(
  sql: Sql,
  tenantId: string,
  n: Omit<IncomingInteraction, 'from'> & { from: string | null; kind: ContactIdentifier['kind']; id: string; queueId: string; now: Date; queuedAt: Date },
): Promise<void> {
  const contactId = uuidv7();
  const name = n.customerName?.trim().slice(0, 200) || null;
  await sql(
    `with found as (select contact_id from contact_identifier where tenant_id = ? and kind = ? and value = ?),
     new_contact as (
       insert into contact (id, tenant_id, name, created_at) select ?, ?, ?, ? where ?::text is not null and not exists (select 1 from found) returning id),
     new_identifier as (
       insert into contact_identifier (id, tenant_id, contact_id, kind, value) select ?, ?, id, ?, ? from new_contact),
     i as (
       insert into interaction (id, tenant_id, channel, direction, state, customer_address, contact_id, campaign_id, queue_id, subject, created_at, queued_at)
       select ?, ?, ?, ?, ?, ?, coalesce((select contact_id from found), (select id from new_contact)), ?, ?, ?, ?, ? returning id)
     insert into message (id, tenant_id, interaction_id, sender, body, delivery_state, created_at)
     select ?, ?, i.id, ?, ?, ?, ? from i where ?::text is not null`,
    [
      tenantId, n.kind, n.from,
      contactId, tenantId, name, n.now, n.from,
      uuidv7(), tenantId, n.kind, n.from,
      n.id, tenantId, n.channel, Direction.INBOUND, InteractionState.QUEUED, n.from, n.campaignId, n.queueId, n.subject?.slice(0, 300) ?? null, n.now, n.queuedAt,
      uuidv7(), tenantId, MessageSender.CUSTOMER, n.firstMessage ?? '', DeliveryState.DELIVERED, n.now, n.firstMessage || null,
    ],
  );
}

/** The contact owning the identifier, created on first contact. */
export async function contactFor(tx: Em, tenantId: string, kind: ContactIdentifier['kind'], value: string, name?: string): Promise<Contact> {
  const known = await tx.findOne(ContactIdentifier, { tenant: tenantId, kind, value }, { populate: ['contact'] });
  if (known) return known.contact;
  const contact = tx.create(Contact, { tenant: tx.getReference(Tenant, tenantId), name: name?.trim().slice(0, 200) || null });
  tx.create(ContactIdentifier, { tenant: tenantId, contact, kind, value });
  return contact;
}

