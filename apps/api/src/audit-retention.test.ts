import { pino } from 'pino';
import { expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { scheduleAuditPruning } from './audit-retention.ts';

const { orm } = await useTestDatabase();
const sql = <T extends object>(text: string, params: unknown[] = []) =>
  orm.em.fork().execute<T[]>(text, params);

async function auditRowAged(days: number): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `insert into audit_log (at, actor_kind, table_name, action) values (now() - make_interval(days => ?), 'system', 'student', 'insert') returning id`,
    [days],
  );
  return row!.id;
}
const exists = async (id: number) => (await sql(`select 1 from audit_log where id = ?`, [id])).length > 0;

it('prunes rows past AUDIT_RETENTION_DAYS at start and again on each tick, keeping newer ones', async () => {
  const old = await auditRowAged(90);
  const kept = await auditRowAged(40);
  const stop = scheduleAuditPruning(orm, 60, pino({ level: 'silent' }), 200);
  try {
    await expect.poll(() => exists(old), { timeout: 10_000 }).toBe(false);
    const later = await auditRowAged(61);
    await expect.poll(() => exists(later), { timeout: 10_000 }).toBe(false);
    expect(await exists(kept)).toBe(true);
  } finally {
    stop();
  }
});
