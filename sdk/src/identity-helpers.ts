/** Named helpers for sign-in, the tenant, its licence and its users. */
import type { CoreClient } from './client.js';
import { mapEvents } from './events.js';
import {
  LicenceChangedDocument,
  LicenceDocument,
  RefreshSessionDocument,
  SignInDocument,
  SignOutDocument,
  TenantDocument,
  UserDocument,
  UsersDocument,
  ViewerDocument,
  type AuthPayloadFieldsFragment,
  type LicenceFieldsFragment,
  type SignInInput,
  type TenantFieldsFragment,
  type UserFieldsFragment,
  type UsersQuery,
  type UsersQueryVariables,
  type ViewerQuery,
} from './generated/graphql.js';

export interface IdentityHelpers {
  signIn(input: SignInInput): Promise<AuthPayloadFieldsFragment>;
  refreshSession(refreshToken: string): Promise<AuthPayloadFieldsFragment>;
  signOut(): Promise<boolean>;
  viewer(): Promise<ViewerQuery['viewer']>;
  tenant(): Promise<TenantFieldsFragment>;
  /** The tenant's licence, or null when it has none. */
  licence(): Promise<LicenceFieldsFragment | null>;
  /** One page of the tenant's users. */
  users(variables?: UsersQueryVariables): Promise<UsersQuery['users']>;
  /** Every user of the tenant (optionally filtered), fetched page by page. */
  allUsers(variables?: Omit<UsersQueryVariables, 'after'>): AsyncGenerator<UserFieldsFragment, void, undefined>;
  user(id: string): Promise<UserFieldsFragment>;
  /** The tenant's licence each time it changes. */
  licenceChanges(): AsyncIterableIterator<LicenceFieldsFragment>;
}

export function identityHelpers({ request, paginate, subscribe }: CoreClient): IdentityHelpers {
  return {
    signIn: async (input) => (await request(SignInDocument, { input })).signIn,
    refreshSession: async (refreshToken) => (await request(RefreshSessionDocument, { refreshToken })).refreshSession,
    signOut: async () => (await request(SignOutDocument)).signOut,
    viewer: async () => (await request(ViewerDocument)).viewer,
    tenant: async () => (await request(TenantDocument)).tenant,
    licence: async () => (await request(LicenceDocument)).licence,
    users: async (variables = {}) => (await request(UsersDocument, variables)).users,
    allUsers: (variables = {}) => paginate(UsersDocument, variables, (data) => data.users),
    user: async (id) => (await request(UserDocument, { id })).user,
    licenceChanges: () => mapEvents(subscribe(LicenceChangedDocument), (data) => data.licenceChanged),
  };
}
