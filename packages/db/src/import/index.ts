// The importer's shared, dependency-light half: the canonical format and the readers of old files.
export * from './dataset.ts';
export * from './legacy.ts';
export * from './json-schema.ts';
export * from './lines.ts';
