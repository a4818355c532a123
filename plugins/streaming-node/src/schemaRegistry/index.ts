export * from './SchemaRegistries';
export * from './SchemaRegistryClient';
