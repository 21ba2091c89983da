import type { FastifyInstance } from 'fastify';
import type { App } from '../platform/context.js';
import { registerStripeWebhook } from './billing/index.js';
import { registerStatusRoutes } from './status/index.js';
import { registerCallRoutes } from './telephony/calls/index.js';
import { registerRecordingRoutes } from './telephony/recordings/index.js';
import { registerWidgetFiles } from '../server/widget-files.js';
import { registerSipRoutes } from './telephony/sip/index.js';
import { registerChannelRoutes } from './channels/index.js';

/**
 * Plain HTTP routes of the modules (webhooks and the like), registered by the server next to
 * /graphql. A module adds its function here; it may scope its own content-type parsers with
 * `fastify.register`.
 */
export const httpRoutes: ((fastify: FastifyInstance, app: App) => Promise<void>)[] = [registerStripeWebhook, registerStatusRoutes, registerCallRoutes, registerRecordingRoutes, registerWidgetFiles, registerSipRoutes, registerChannelRoutes];
