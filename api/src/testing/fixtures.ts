import type { TestApi } from './harness.js';

export interface TenantFixture {
  id: string;
  slug: string;
  adminToken: string;
  adminId: string;
}

let counter = 0;

/** Creates a tenant through the operator API, optionally with a licence, and signs its administrator in. */
export async function createTenant(
  api: TestApi,
  options: { slug?: string; deployment?: 'CLOUD' | 'ON_PREMISES'; seats?: number; kind?: 'VOICE' | 'OMNI' } = {},
): Promise<TenantFixture> {
  const slug = options.slug ?? `t${Date.now().toString(36)}${counter++}`;
  const password = 'admin-password-1';
  const created = await api.ok<{ createTenant: { tenant: { id: string }; administrator: { id: string } } }>(
    `mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } administrator { id } } }`,
    {
      input: {
        name: `Tenant ${slug}`,
        slug,
        deployment: options.deployment ?? 'CLOUD',
        timeZone: 'America/Montreal',
        administrator: { email: `admin@${slug}.example`, name: 'Admin', password },
      },
    },
    api.operatorToken,
  );
  const id = created.createTenant.tenant.id;
  if (options.seats) {
    await api.ok(
      `mutation($id: ID!, $terms: LicenceTermsInput!) { setTenantLicence(tenantId: $id, terms: $terms) { id } }`,
      { id, terms: { kind: options.kind ?? 'OMNI', seats: options.seats } },
      api.operatorToken,
    );
  }
  const adminToken = await signIn(api, `admin@${slug}.example`, password, slug);
  return { id, slug, adminToken, adminId: created.createTenant.administrator.id };
}

export async function signIn(api: TestApi, email: string, password: string, tenant?: string): Promise<string> {
  const r = await api.ok<{ signIn: { accessToken: string } }>(
    'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
    { input: { email, password, tenant } },
  );
  return r.signIn.accessToken;
}

/** Creates users through the API and returns their ids. */
export async function createUsers(
  api: TestApi,
  token: string,
  role: 'AGENT' | 'SUPERVISOR' | 'ADMINISTRATOR',
  count: number,
  prefix = role.toLowerCase(),
  password = 'user-password-1',
): Promise<{ id: string; email: string; password: string }[]> {
  const users = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}-${counter++}@example.com`;
    const r = await api.ok<{ createUser: { user: { id: string } } }>(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
      { input: { email, name: `${prefix} ${i}`, role, password } },
      token,
    );
    users.push({ id: r.createUser.user.id, email, password });
  }
  return users;
}
