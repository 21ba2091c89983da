export { VisitorSession, WidgetKey } from './webchat.entity.js';
export { createWidgetKey } from './webchat.service.js';
export { WebchatResolver } from './webchat.resolver.js';
