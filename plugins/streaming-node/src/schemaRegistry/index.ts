export * from './SchemaRegistries';
