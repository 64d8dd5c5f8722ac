import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { type Weekday, nameFromEmail } from '@mergington/contract';
import { Activity, ActivityParticipant, Student, Teacher } from '../entities/index.ts';
import sampleData from './sample-data.json' with { type: 'json' };

/**
 * The old app's sample data (mergington-v3): twelve activities with their schedules and participants, and
 * its three teachers with their original password hashes. `seedSampleData` runs it on an empty database only.
 */
export class DatabaseSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    for (const teacher of sampleData.teachers) {
      em.create(Teacher, { ...teacher, role: teacher.role === 'admin' ? 'admin' : 'teacher' });
    }
    const students = new Map<string, Student>();
    for (const { participants, scheduleDays, ...fields } of sampleData.activities) {
      const activity = em.create(Activity, { ...fields, scheduleDays: scheduleDays as Weekday[] });
      for (const email of participants) {
        let student = students.get(email);
        if (!student) {
          student = em.create(Student, { email, name: nameFromEmail(email) });
          students.set(email, student);
        }
        em.create(ActivityParticipant, { activity, student, status: 'enrolled' });
      }
    }
    await em.flush();
  }
}
