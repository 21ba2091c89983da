export { Tenant, Deployment, Language, TenantStatus } from './tenant.entity.js';
export { insertTenant, toTenantType } from './tenant.service.js';
export { TenantResolver } from './tenant.resolver.js';
