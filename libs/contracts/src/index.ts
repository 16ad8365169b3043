export * from './event-envelope';
export * from './serialization';
export * from './topics';
export * from './events/event-schemas';
export * from './events/upcasters';
export * from './http/api-routes';
