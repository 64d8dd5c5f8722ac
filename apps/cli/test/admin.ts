import type { MikroORM } from '@mergington/db';
import { createSession, hashPassword, Teacher } from '@mergington/db';

/** An admin made directly in the database, and a session token for them: the importer signs in with it. */
export async function adminToken(orm: MikroORM): Promise<string> {
  const em = orm.em.fork();
  const admin = em.create(Teacher, {
    email: 'importer@mergington.edu',
    username: 'importer',
    name: 'Importer',
    role: 'admin',
    passwordHash: 'x',
  });
  await em.flush();
  const { token } = await createSession(em, {
    kind: 'teacher',
    id: admin.id,
    email: admin.email,
    username: 'importer',
    name: 'Importer',
    role: 'admin',
    mustChangePassword: false,
  });
  return token;
}

/** An admin with a password, and the options that sign in as them (--login, --password). */
export async function adminLogin(orm: MikroORM): Promise<{ id: number; argv: string[] }> {
  const em = orm.em.fork();
  const admin = em.create(Teacher, {
    email: 'runs@mergington.edu',
    username: 'runs',
    name: 'Runs',
    role: 'admin',
    passwordHash: await hashPassword('runs-password'),
  });
  await em.flush();
  return { id: admin.id, argv: ['--login', 'runs', '--password', 'runs-password'] };
}
