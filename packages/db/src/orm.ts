import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { createConfig, type ConnectionSettings } from './config.ts';

/** One ORM per process (and per test database); overrides are for tests. */
export function initORM(settings: ConnectionSettings, overrides: Options = {}): Promise<MikroORM> {
  return MikroORM.init(createConfig(settings, overrides));
}
