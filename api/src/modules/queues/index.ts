export { Queue, QueueMember, RoutingStrategy } from './queue.entity.js';
export { getQueue, toQueueType } from './queues.service.js';
export { QueueType } from './queue.type.js';
export { QueueResolver } from './queue.resolver.js';
