import { randomBytes } from 'node:crypto';
import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { getCampaign } from '../campaigns/campaigns.service.js';
import { e164 } from '../telephony/calls/trunks.service.js';
import { ChannelAccount, ChannelAccountKind } from './channel-account.entity.js';
import type { ChannelAccountInput } from './channel-account.input.js';
import type { ChannelAccountType } from './channel-account.type.js';
import { channelKeys, seal, unseal } from './secrets.js';

/** What `secrets` holds, opened. */
export interface ProviderSecrets {
  /** SMS: Twilio's auth token. */
  authToken?: string;
  /** TELEGRAM: the bot token, and the secret Telegram echoes on each webhook. */
  botToken?: string;
  webhookSecret?: string;
}

export const webhookPath = (a: Pick<ChannelAccount, 'id' | 'kind'>) => `/webhooks/channels/${a.kind === ChannelAccountKind.SMS ? 'sms' : 'telegram'}/${a.id}`;

export const toChannelAccountType = (a: ChannelAccount): ChannelAccountType => ({
  id: a.id,
  kind: a.kind,
  name: a.name,
  address: a.address ?? null,
  accountSid: a.accountSid ?? null,
  webhookPath: webhookPath(a),
  statusCallbackPath: a.kind === ChannelAccountKind.SMS ? `${webhookPath(a)}/status` : null,
  active: a.active,
  createdAt: a.createdAt,
  campaignId: a.campaign?.id ?? null,
});

const required = (value: string | undefined, field: string, what: string) => {
  const v = value?.trim();
  if (!v) throw badInput(`${what} is required`, field);
  return v;
};

/** The account's columns and secrets from the input, checked per kind. */
function accountValues(input: ChannelAccountInput): { address: string | null; accountSid: string | null; secrets: ProviderSecrets } {
  if (input.kind === ChannelAccountKind.SMS) {
    const accountSid = required(input.accountSid, 'accountSid', "Twilio's account SID");
    if (!/^AC[0-9a-zA-Z]{8,62}$/.test(accountSid)) throw badInput('An account SID starts with AC', 'accountSid');
    return { address: e164(required(input.address, 'address', 'The sending number'), 'address'), accountSid, secrets: { authToken: required(input.authToken, 'authToken', 'The auth token') } };
  }
  const botToken = required(input.botToken, 'botToken', 'The bot token');
  if (!/^\d{1,20}:[\w-]{20,100}$/.test(botToken)) throw badInput('A bot token looks like 123456:ABC-DEF...', 'botToken');
  const address = input.address?.trim().replace(/^@/, '') || null;
  if (address && !/^\w{3,64}$/.test(address)) throw badInput("A bot's user name has letters, digits and underscores", 'address');
  return { address, accountSid: null, secrets: { botToken, webhookSecret: randomBytes(32).toString('base64url') } };
}

export async function createChannelAccount(app: App, em: Em, tenantId: string, input: ChannelAccountInput): Promise<{ account: ChannelAccount; webhookSecret: string | null }> {
  // the campaign first: another tenant's id answers NOT_FOUND whatever else the input holds
  const campaign = await getCampaign(em, tenantId, input.campaignId);
  const values = accountValues(input);
  const name = input.name.trim();
  if (await em.count(ChannelAccount, { tenant: tenantId, name })) throw new AppError(ErrorCode.CONFLICT, `A channel account is already named "${name}"`);
  const id = uuidv7();
  const keys = await channelKeys(app);
  const account = em.create(ChannelAccount, {
    id,
    tenant: em.getReference(Tenant, tenantId),
    kind: input.kind,
    name,
    campaign,
    address: values.address,
    accountSid: values.accountSid,
    secrets: seal(keys.current, JSON.stringify(values.secrets), id),
    active: true,
    createdAt: app.clock.now(),
  });
  await em.flush();
  return { account, webhookSecret: values.secrets.webhookSecret ?? null };
}

export async function getChannelAccount(em: Em, tenantId: string, id: string): Promise<ChannelAccount> {
  const account = await em.findOne(ChannelAccount, { id, tenant: tenantId });
  if (!account) throw notFound('Channel account');
  return account;
}

export const listChannelAccounts = (em: Em, tenantId: string, page: PageArgs) => paginate(em, ChannelAccount, { tenant: tenantId }, page);

/** Deletes the account; its conversations stay, and its webhook answers 403 from then on. */
export async function deleteChannelAccount(em: Em, tenantId: string, id: string): Promise<string> {
  const account = await getChannelAccount(em, tenantId, id);
  await em.remove(account).flush();
  return id;
}

/** The account's provider secrets, opened. */
export async function providerSecrets(app: App, account: { id: string; secrets: string }): Promise<ProviderSecrets> {
  return JSON.parse(unseal(await channelKeys(app), account.secrets, account.id)) as ProviderSecrets;
}
