import { Migration20261121235202_initial } from './Migration20261121235202_initial.js';
import { Migration20261121235300_licence_policy_presets } from './Migration20261121235300_licence_policy_presets.js';
import { Migration20261122004258_contacts } from './Migration20261122004258_contacts.js';
import { Migration20261122004502_billing } from './Migration20261122004502_billing.js';
import { Migration20261122004920_campaigns_queues } from './Migration20261122004920_campaigns_queues.js';
import { Migration20261122005340_agent_states } from './Migration20261122005340_agent_states.js';
import { Migration20261122005555_support_desk } from './Migration20261122005555_support_desk.js';
import { Migration20261122005600_support_policy_presets } from './Migration20261122005600_support_policy_presets.js';
import { Migration20261122010510_interactions } from './Migration20261122010510_interactions.js';
import { Migration20261122012747_webchat } from './Migration20261122012747_webchat.js';
import { Migration20261122013115_retention } from './Migration20261122013115_retention.js';
import { Migration20261122024739_contact_notes } from './Migration20261122024739_contact_notes.js';
import { Migration20261122024800_sip_runtime } from './Migration20261122024800_sip_runtime.js';
import { Migration20261122025923_telephony_calls } from './Migration20261122025923_telephony_calls.js';
import { Migration20261122054119_call_transfers } from './Migration20261122054119_call_transfers.js';
import { Migration20261124090000_call_event_order } from './Migration20261124090000_call_event_order.js';
import { Migration20261122071446_anonymous_calls } from './Migration20261122071446_anonymous_calls.js';
import { Migration20261207232011_throttle } from './Migration20261207232011_throttle.js';
import { Migration20261208001500_sip_trunk_sources } from './Migration20261208001500_sip_trunk_sources.js';
import { Migration20261208100000_scale_indexes } from './Migration20261208100000_scale_indexes.js';
import { Migration20261208200000_call_waiting } from './Migration20261208200000_call_waiting.js';
import { Migration20261209000000_channels } from './Migration20261209000000_channels.js';

/** Migrations in the order they run. `npm run migration:create` writes a new file; add it here. */
export const migrationsList = [
  { name: 'Migration20261121235202_initial', class: Migration20261121235202_initial },
  { name: 'Migration20261121235300_licence_policy_presets', class: Migration20261121235300_licence_policy_presets },
  { name: 'Migration20261122004258_contacts', class: Migration20261122004258_contacts },
  { name: 'Migration20261122004502_billing', class: Migration20261122004502_billing },
  { name: 'Migration20261122004920_campaigns_queues', class: Migration20261122004920_campaigns_queues },
  { name: 'Migration20261122005340_agent_states', class: Migration20261122005340_agent_states },
  { name: 'Migration20261122005555_support_desk', class: Migration20261122005555_support_desk },
  { name: 'Migration20261122005600_support_policy_presets', class: Migration20261122005600_support_policy_presets },
  { name: 'Migration20261122010510_interactions', class: Migration20261122010510_interactions },
  { name: 'Migration20261122012747_webchat', class: Migration20261122012747_webchat },
  { name: 'Migration20261122013115_retention', class: Migration20261122013115_retention },
  { name: 'Migration20261122024739_contact_notes', class: Migration20261122024739_contact_notes },
  { name: 'Migration20261122024800_sip_runtime', class: Migration20261122024800_sip_runtime },
  { name: 'Migration20261122025923_telephony_calls', class: Migration20261122025923_telephony_calls },
  { name: 'Migration20261122054119_call_transfers', class: Migration20261122054119_call_transfers },
  { name: 'Migration20261124090000_call_event_order', class: Migration20261124090000_call_event_order },
  { name: 'Migration20261122071446_anonymous_calls', class: Migration20261122071446_anonymous_calls },
  { name: 'Migration20261207232011_throttle', class: Migration20261207232011_throttle },
  { name: 'Migration20261208001500_sip_trunk_sources', class: Migration20261208001500_sip_trunk_sources },
  { name: 'Migration20261208100000_scale_indexes', class: Migration20261208100000_scale_indexes },
  { name: 'Migration20261208200000_call_waiting', class: Migration20261208200000_call_waiting },
  { name: 'Migration20261209000000_channels', class: Migration20261209000000_channels },
];
