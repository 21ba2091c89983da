import type { Em } from '../platform/db/orm.js';
import { createCampaign, createDisposition } from '../modules/campaigns/campaigns.service.js';
import { CampaignInput, DispositionInput } from '../modules/campaigns/campaign.input.js';
import { CampaignType, OutOfHoursAction } from '../modules/campaigns/index.js';
import { createQueue, setQueueMembers } from '../modules/queues/queues.service.js';
import { QueueInput } from '../modules/queues/queue.input.js';
import { RoutingStrategy } from '../modules/queues/index.js';
import { createWidgetKey } from '../modules/webchat/index.js';
import { addDid, createTrunk } from '../modules/telephony/calls/trunks.service.js';
import { DidInput, SipTrunkInput } from '../modules/telephony/calls/trunk.input.js';
import { createContact } from '../modules/contacts/contacts.service.js';
import { ContactIdentifierInput, CreateContactInput } from '../modules/contacts/contact.input.js';
import { IdentifierKind } from '../modules/contacts/index.js';

/** The demo's phone number: a call to it from 127.0.0.1 (e.g. sipp) reaches the Support queue. */
export const DEMO_DID = '+15145550199';

/** The demo's customer, for `examples/crm-contact` (`--email customer@example.com` or `--phone "+1 514 555 0142"`). */
export const DEMO_CUSTOMER = { name: 'Carmen Customer', email: 'customer@example.com', phone: '+15145550142' };

/** What the examples need to know about the demo contact centre (printed once with the secrets). */
export interface DemoContactCentre {
  widgetKey: string;
  campaignId: string;
  queueId: string;
}

/**
 * The demo tenant's contact centre: a support queue with both agents, an omnichannel campaign, its
 * chat widget key, a local test trunk with one number, and one customer.
 */
export async function seedContactCentre(tx: Em, tenantId: string, agentIds: string[], publicOrigins: string[]): Promise<DemoContactCentre> {
  const queue = await createQueue(
    tx,
    tenantId,
    Object.assign(new QueueInput(), { name: 'Support', strategy: RoutingStrategy.LONGEST_IDLE, wrapUpSeconds: 30, serviceLevelSeconds: 20 }),
  );
  await setQueueMembers(tx, tenantId, queue.id, agentIds);
  const campaign = await createCampaign(
    tx,
    tenantId,
    Object.assign(new CampaignInput(), {
      name: 'Website and messaging',
      type: CampaignType.OMNI,
      timeZone: 'America/Montreal',
      // open around the clock, so the demo answers whenever someone tries it; real campaigns set
      // openingHours and holidays (see the README)
      openingHours: [],
      holidays: [],
      welcomeMessage: 'Hello! An agent will be with you shortly.',
      outOfHoursAction: OutOfHoursAction.LEAVE_MESSAGE,
      outOfHoursMessage: 'We are closed. Leave us a message and we will answer when we open.',
      screenPopUrlTemplate: 'https://crm.example/contacts?phone={customer.phone}&email={customer.email}',
      defaultQueueId: queue.id,
    }),
  );
  for (const [code, label] of [['RESOLVED', 'Resolved'], ['CALLBACK', 'Call back'], ['SALE', 'Sale']]) {
    await createDisposition(tx, tenantId, campaign.id, Object.assign(new DispositionInput(), { code, label }));
  }
  // a trunk for trying calls on one machine: accepts calls from this host, sends calls to a SIP peer on 127.0.0.1:5070
  const trunk = await createTrunk(
    tx,
    tenantId,
    Object.assign(new SipTrunkInput(), { name: 'Local test trunk', host: '127.0.0.1', port: 5070, allowedSources: ['127.0.0.1', '::1'], callerIdDefault: '+15145550100' }),
  );
  await addDid(tx, tenantId, Object.assign(new DidInput(), { number: DEMO_DID, trunkId: trunk.id, campaignId: campaign.id }));
  const identifiers = [
    Object.assign(new ContactIdentifierInput(), { kind: IdentifierKind.EMAIL, value: DEMO_CUSTOMER.email }),
    Object.assign(new ContactIdentifierInput(), { kind: IdentifierKind.PHONE, value: DEMO_CUSTOMER.phone }),
  ];
  await createContact(tx, tenantId, Object.assign(new CreateContactInput(), { name: DEMO_CUSTOMER.name, identifiers }));
  const widgetKey = (await createWidgetKey(tx, tenantId, campaign.id, publicOrigins)).key;
  return { widgetKey, campaignId: campaign.id, queueId: queue.id };
}
