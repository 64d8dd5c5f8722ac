import type { Logger } from 'pino';
import { type MikroORM, pruneAuditLog } from '@mergington/db';

const DAY_MS = 86_400_000;

/**
 * Prunes audit rows older than AUDIT_RETENTION_DAYS now and then once a day, in every serving process:
 * pruneAuditLog's advisory lock lets one of them work at a time (the others skip), so workers and replicas
 * need no coordination. A failure is logged and tried again the next day. Returns a stop function.
 */
export function scheduleAuditPruning(
  orm: MikroORM,
  keepDays: number,
  logger: Logger,
  everyMs = DAY_MS,
): () => void {
  const prune = async () => {
    try {
      const pruned = await pruneAuditLog(orm.em.fork(), keepDays);
      if (pruned) logger.info({ pruned, keepDays }, 'audit log pruned');
    } catch (error) {
      logger.error({ err: error }, 'audit log pruning failed');
    }
  };
  let running = prune();
  const timer = setInterval(() => {
    running = running.then(prune);
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
