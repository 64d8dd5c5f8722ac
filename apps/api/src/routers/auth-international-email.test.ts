import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor } from '../testing.ts';

const { orm } = await useTestDatabase();
const anonymous = callerFor(orm);
const sql = <T = any>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

describe('internationalised email addresses (RFC 6531)', () => {
  it('registers a UTF-8 local part and an IDN domain, stored in one form the database CHECK accepts', async () => {
    const student = await anonymous.auth.register({
      email: ' ZOË.Ünal@Bücher.DE ',
      name: 'Zoë Ünal',
      grade: 10,
      password: 'correct horse',
    });
    expect(student.email).toBe('zoë.ünal@xn--bcher-kva.de');
    const [row] = await sql(
      `select email, email = lower(btrim(email)) as normalized from student where id = ?`,
      [student.id],
    );
    expect(row).toEqual({ email: 'zoë.ünal@xn--bcher-kva.de', normalized: true });

    // Another spelling of the same address (decomposed ë, punycode domain) logs in as the same person...
    for (const login of ['zoe\u0308.u\u0308nal@xn--bcher-kva.de', 'Zoë.Ünal@BÜCHER.de']) {
      const session = await anonymous.auth.logIn({ as: 'student', login, password: 'correct horse' });
      expect(session.user).toMatchObject({ id: student.id });
    }
    // ...and cannot register a second account.
    await expect(
      anonymous.auth.register({
        email: 'ZOE\u0308.ÜNAL@xn--bcher-kva.de',
        name: 'Zoë again',
        grade: 10,
        password: 'correct horse',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps Unicode lower-casing in step with PostgreSQL’s lower() (the CHECK on student and teacher emails)', async () => {
    for (const email of ['ΣΟΦΊΑΣ@school.gr', 'İLKER@okul.tr', 'ǅORĐE@škola.rs', 'Ärger@ÄRGER.at']) {
      const student = await anonymous.auth.register({
        email,
        name: 'X',
        grade: null,
        password: 'correct horse',
      });
      const [row] = await sql(`select email = lower(btrim(email)) as normalized from student where id = ?`, [
        student.id,
      ]);
      expect(row, email).toEqual({ normalized: true });
    }
  });

  it('still refuses what is not an address', async () => {
    for (const email of ['zoë ünal@school.edu', 'zoë@', 'a@b', 'a\u202e@school.edu', 'a@school.edu/x']) {
      await expect(
        anonymous.auth.register({ email, name: 'X', grade: null, password: 'correct horse' }),
        email,
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });
});
