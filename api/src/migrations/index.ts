import { Migration20261121235202_initial } from './Migration20261121235202_initial.js';
import { Migration20261121235300_licence_policy_presets } from './Migration20261121235300_licence_policy_presets.js';

/** Migrations in the order they run. `npm run migration:create` writes a new file; add it here. */
export const migrationsList = [
  { name: 'Migration20261121235202_initial', class: Migration20261121235202_initial },
  { name: 'Migration20261121235300_licence_policy_presets', class: Migration20261121235300_licence_policy_presets },
];
