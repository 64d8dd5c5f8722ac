import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrationsList } from './index.ts';

describe('the migrations list', () => {
  it('names every migration file of the folder, in order, under its file name', () => {
    const files = readdirSync(import.meta.dirname)
      .filter((file) => /^Migration\w+\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(migrationsList.map((migration) => migration.name)).toEqual(files);
    for (const migration of migrationsList) expect(migration.class.name).toBe(migration.name);
  });
});
