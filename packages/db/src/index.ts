export * from './entities/index.ts';
export * from './errors.ts';
export * from './signups.ts';
export { createConfig, type ConnectionSettings } from './config.ts';
export { initORM } from './orm.ts';
export { openDatabase, createDatabaseIfMissing, EMBEDDED_DATA_DIR, type DatabaseHandle } from './database.ts';
export { initDatabase, seedSampleData } from './init.ts';
export { readDbEnv, ConfigError, type DbEnv } from './env.ts';
export type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
