import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseCommandLine } from './args.ts';
import { asAdmin, AUTH_OPTIONS } from './api.ts';

export const BACKUP_HELP = `Usage: mergington backup [file] [options]
       mergington restore <file> [--force] [options]

The same backups as pnpm db:backup and db:restore, through the API, for admins.
restore refuses a database that has data unless --force, which replaces it in one transaction.

Options:
  --url, --token, --login, --password   As for mergington import
  -h, --help                            Show this help
`;

export async function backupCommand(
  command: 'backup' | 'restore',
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    force: { type: 'boolean', default: false },
    ...AUTH_OPTIONS,
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    out(BACKUP_HELP);
    return 0;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  if (command === 'restore' && !positionals[0]) {
    err(`error: name the backup file\n\n${BACKUP_HELP}`);
    return 2;
  }
  return asAdmin(values, async (client) => {
    if (command === 'backup') {
      const file = resolve(
        cwd,
        positionals[0] ?? `mergington-${new Date().toISOString().replace(/[:.]/g, '-')}.backup.gz`,
      );
      const { data, schemaVersion, tables } = await client.backup.create.mutate();
      await writeFile(file, Buffer.from(data, 'base64'));
      out(
        `backed up ${Object.values(tables).reduce((sum, t) => sum + t.rows, 0)} rows (schema ${schemaVersion}) to ${file}`,
      );
      return 0;
    }
    const data = (await readFile(resolve(cwd, positionals[0]!))).toString('base64');
    const { tables } = await client.backup.restore.mutate({ data, force: values.force });
    out(
      `restored ${Object.values(tables).reduce((sum, t) => sum + t.rows, 0)} rows; counts and checksums verified`,
    );
    return 0;
  });
}
