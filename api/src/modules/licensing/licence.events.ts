/** Topic published (per tenant) after a tenant's licence changed and the change committed. */
export const LICENCE_CHANGED = 'LICENCE_CHANGED';

export interface LicenceChangedPayload {
  tenantId: string;
  licenceId: string;
}
