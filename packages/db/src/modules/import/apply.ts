import type { EntityManager } from '@mikro-orm/postgresql';
import { IMPORT_TABLES, type ImportDataset, type ImportReport } from '@mergington/contract';
import type { SeatCounts } from '../activities/admission.ts';
import { recountSeats } from '../activities/seats.ts';
import { importActivities } from './activities.ts';
import { importCommittees, importPositions } from './committees.ts';
import { importEvents } from './events.ts';
import { importFeedback } from './feedback.ts';
import { importGroups } from './groups.ts';
import { importNews } from './news.ts';
import { importParticipants } from './participants.ts';
import { importPayments } from './payments.ts';
import { type Counts, idsByEmail, type SchoolLife, studentEmailsOfSchoolLife } from './records.ts';
import { importStudents } from './students.ts';
import { importTeachers } from './teachers.ts';

export { ImportReferenceError } from './records.ts';

class DryRun extends Error {}

/**
 * Writes a dataset, given in parts (applied in order, so a part may refer to what an earlier one
 * created), in one transaction: everything or, on any error, nothing. Records are matched by their
 * natural keys (emails, usernames, names), so importing the same data again changes nothing and a newer
 * file updates what changed. Import adds and updates; it deletes nothing. With `dryRun` the same work is
 * done and rolled back, so the report says exactly what a real run would do.
 */
export async function applyImport(
  em: EntityManager,
  parts: Iterable<ImportDataset> | AsyncIterable<ImportDataset>,
  options: { overflow: 'enroll' | 'waitlist'; dryRun: boolean },
): Promise<ImportReport> {
  const counts = Object.fromEntries(
    IMPORT_TABLES.map((table) => [table, { created: 0, updated: 0, unchanged: 0 }]),
  ) as Counts;
  const warnings: string[] = [];
  try {
    await em.transactional(async (tx) => {
      // Old data may list more participants than seats; the import alone may keep them all. Seats are
      // counted once at the end, and a large import may take longer than a request's statement timeout.
      await tx.execute(`set local mergington.allow_overbooking = on`);
      await tx.execute(`set local mergington.defer_seat_counts = on`);
      await tx.execute(`set local statement_timeout = '30min'`);
      const activityIds = new Map<string, number>();
      const knownStudents = new Set<string>();
      const seats = new Map<number, SeatCounts>();
      for await (const part of parts) {
        await importTeachers(tx, part, counts);
        await importStudents(tx, part, knownStudents, counts);
        for (const [name, id] of await importActivities(tx, part, counts)) {
          activityIds.set(name, id);
          seats.delete(id); // its seats may have changed: counted again when next met
        }
        await importParticipants(tx, part, activityIds, seats, options.overflow, counts, warnings);
        // Every student the rest names, looked up once (importStudents has created the missing ones).
        const studentIds = await idsByEmail(tx, studentEmailsOfSchoolLife(part));
        const life: SchoolLife = {
          em: tx,
          counts,
          activityIds,
          studentId: (email) => studentIds.get(email)!,
        };
        await importPositions(life, part, await importCommittees(life, part));
        await importEvents(life, part);
        await importGroups(life, part);
        await importNews(life, part);
        await importFeedback(life, part);
        await importPayments(life, part);
      }
      await recountSeats(tx);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { dryRun: options.dryRun, tables: counts, warnings };
}
