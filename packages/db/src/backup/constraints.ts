// Restoring as pg_restore does: keys, unique and exclusion constraints, foreign keys and indexes are dropped
// before the data and re-created after it, which checks every row against them at once.
import type pg from 'pg';
import { BACKUP_TABLES } from './format.ts';

/**
 * Drops the backed-up tables' keys, unique and exclusion constraints, foreign keys and indexes (checks
 * stay; the foreign keys of other tables that reference them go too, or their keys could not), and returns the statements that re-create them as pg_restore does after its data: primary keys,
 * indexes, unique and exclusion constraints, then foreign keys (each checks every row at once).
 */
export async function dropConstraintsAndIndexes(client: pg.Client): Promise<string[]> {
  const { rows: constraints } = await client.query<{ tbl: string; name: string; def: string; type: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def, contype as type
       from pg_constraint
      where connamespace = current_schema()::regnamespace and contype in ('f', 'p', 'u', 'x')
        and (conrelid in (select oid from pg_class where relname = any($1) and relnamespace = current_schema()::regnamespace)
             -- and the foreign keys of tables left out of backups (notifications) that rest on their keys
             or contype = 'f' and confrelid in (select oid from pg_class where relname = any($1) and relnamespace = current_schema()::regnamespace))
      order by contype = 'f' desc, conrelid::regclass::text, conname`,
    [BACKUP_TABLES],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indrelid
      where c.relnamespace = current_schema()::regnamespace and c.relname = any($1)
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by 1`,
    [BACKUP_TABLES],
  );
  // Foreign keys first: the keys they rest on go after them.
  for (const c of constraints) await client.query(`alter table ${c.tbl} drop constraint "${c.name}"`);
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  const add = (c: { tbl: string; name: string; def: string }) =>
    `alter table ${c.tbl} add constraint "${c.name}" ${c.def}`;
  return [
    ...constraints.filter((c) => c.type === 'p').map(add),
    ...indexes.map((index) => index.def),
    ...constraints.filter((c) => c.type === 'u' || c.type === 'x').map(add),
    ...constraints.filter((c) => c.type === 'f').map(add),
  ];
}
