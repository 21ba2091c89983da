import { Permission, Role } from '../platform/auth/permissions.js';
import type { TenantPrincipal } from '../platform/auth/principal.js';
import type { App } from '../platform/context.js';
import { platformEm } from '../platform/db/orm.js';
import { createApiKey, generatePassword, insertUser } from '../modules/identity/index.js';
import { hashPassword } from '../platform/auth/password.js';
import { User } from '../modules/identity/user.entity.js';
import { LicenceKind, setLicence } from '../modules/licensing/index.js';
import { Deployment, insertTenant, Language } from '../modules/tenants/index.js';
import { LicenceTermsInput } from '../modules/licensing/licence.input.js';
import { DEMO_DID, seedContactCentre } from './demo-contact-centre.js';
import { EXAMPLE_PAGES_ORIGINS, isLoopbackUrl } from '../platform/example-pages.js';

export interface SeedResult {
  operator: { email: string; password: string };
  administrator: { email: string; password: string; tenant: string };
  agents: { email: string; password: string }[];
  apiKey: string;
  widgetKey: string;
  /** Ids the examples ask for: the demo campaign (e.g. for createWidgetKey) and its Support queue (wallboard). */
  campaignId: string;
  queueId: string;
  /** The demo phone number (a DID on the local test trunk). */
  phoneNumber: string;
}

export const DEMO_SLUG = 'demo';

/**
 * Seeds, once, a platform operator and a demo tenant (administrator, supervisor, two agents, an
 * OMNI licence of 5 seats, an API key, a support queue and an omnichannel campaign) in one
 * transaction. Returns the credentials to print, or null when the platform already has an
 * operator (so a restart never seeds twice).
 */
export async function seedDemo(app: App): Promise<SeedResult | null> {
  const em = platformEm(app.orm);
  if (await em.count(User, { role: Role.PLATFORM_OPERATOR })) return null;

  const result = await em.transactional(async (tx) => {
    const operatorPassword = generatePassword();
    tx.create(User, {
      tenant: null,
      email: 'operator@switchboard.local',
      name: 'Platform operator',
      role: Role.PLATFORM_OPERATOR,
      passwordHash: await hashPassword(operatorPassword),
    });
    const tenant = await insertTenant(tx, {
      name: 'Demo Contact Centre',
      slug: DEMO_SLUG,
      deployment: Deployment.CLOUD,
      timeZone: 'America/Montreal',
      language: Language.en,
      administrator: { email: 'admin@demo.example', name: 'Ada Admin' },
    });
    await tx.flush();
    const admin = await insertUser(tx, tenant.id, { email: 'admin@demo.example', name: 'Ada Admin', role: Role.ADMINISTRATOR });
    await insertUser(tx, tenant.id, { email: 'supervisor@demo.example', name: 'Sam Supervisor', role: Role.SUPERVISOR, password: admin.initialPassword! });
    const agents = [];
    const agentIds = [];
    for (const [email, name] of [
      ['agent1@demo.example', 'Alex Agent'],
      ['agent2@demo.example', 'Bea Agent'],
    ]) {
      const { user } = await insertUser(tx, tenant.id, { email, name, role: Role.AGENT, password: admin.initialPassword! });
      agents.push({ email, password: admin.initialPassword! });
      agentIds.push(user.id);
    }
    await tx.flush();
    const centre = await seedContactCentre(tx, tenant.id, agentIds, demoOrigins(app));
    const terms = Object.assign(new LicenceTermsInput(), { kind: LicenceKind.OMNI, seats: 5, termMonths: 1 });
    await setLicence(app, tx, tenant.id, terms);
    // The demo key answers to the demo administrator: its rights are at most theirs, checked per request.
    const creator: TenantPrincipal = {
      kind: 'user',
      tenantId: tenant.id,
      userId: admin.user.id,
      role: Role.ADMINISTRATOR,
      sessionId: 'seed',
      permissions: new Set(Object.values(Permission)),
    };
    const { secret } = await createApiKey(tx, creator, { name: 'Demo integration key', scopes: Object.values(Permission) });
    return { operatorPassword, adminPassword: admin.initialPassword!, agents, secret, centre };
  });

  return {
    operator: { email: 'operator@switchboard.local', password: result.operatorPassword },
    administrator: { email: 'admin@demo.example', password: result.adminPassword, tenant: DEMO_SLUG },
    agents: result.agents,
    apiKey: result.secret,
    widgetKey: result.centre.widgetKey,
    campaignId: result.centre.campaignId,
    queueId: result.centre.queueId,
    phoneNumber: DEMO_DID,
  };
}

/**
 * Pages that may use the demo chat widget: this server's own address (and localhost's), and the
 * shipped example pages (examples/widget-pages on port 8080) while the platform is reachable from
 * this machine only.
 */
function demoOrigins(app: App): string[] {
  const { host, port, publicUrl } = app.config;
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (publicUrl) origins.unshift(new URL(publicUrl).origin);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '0.0.0.0' && !host.includes(':')) origins.push(`http://${host}:${port}`);
  if (!publicUrl || isLoopbackUrl(publicUrl)) origins.push(...EXAMPLE_PAGES_ORIGINS);
  return [...new Set(origins)];
}
