export * from './event-envelope';
export * from './serialization';
export * from './topics';
