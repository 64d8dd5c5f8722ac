// A separate process for the persistence tests: `write <email>`, `write-and-hang <email>`, `read`, or
// `write-wait-read <email>` (writes, then reads once a line arrives on stdin, then stops).
import { openDatabase } from '../src/database.ts';
import { initDatabase } from '../src/init.ts';
import { initORM } from '../src/orm.ts';

const [mode, email] = process.argv.slice(2);
const database = await openDatabase();
await initDatabase(database);
const orm = await initORM(database);
const connection = orm.em.fork().getConnection();

async function printEmails() {
  const rows = await connection.execute<{ email: string }[]>(`select email from student order by id`);
  console.log(JSON.stringify(rows.map((row) => row.email)));
}

if (mode === 'read') {
  await printEmails();
} else {
  await connection.execute(`insert into student (email, name) values (?, 'Persisted')`, [email]);
  // The insert committed (autocommit) before this line: it is an acknowledged write.
  console.log('written');
  if (mode === 'write-and-hang') await new Promise(() => {});
  if (mode === 'write-wait-read') {
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdin.destroy();
    await printEmails();
  }
}
await orm.close();
await database.stop();
