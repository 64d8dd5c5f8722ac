// mergington: command-line tools on the typed client.
import { parseCommandLine } from './args.ts';
import { backupCommand } from './backup.ts';
import { apiClient } from './api.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';

const HELP = `Usage: mergington <command> [options]

Commands:
  activities    List the activities with their free seats
  import        Import the old app's JSON files (mergington import --help)
  backup        Download a backup of the whole database (admins)
  restore       Restore a backup (admins; mergington backup --help)
  export        Download a report as CSV or XLSX (staff; mergington export --help)

Options:
  --url <url>   The API's tRPC endpoint (default: $MERGINGTON_URL or http://127.0.0.1:3000/trpc)
  --json        Print JSON instead of a table
  -h, --help    Show this help
`;

export async function main(
  argv: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  if (argv[0] === 'import') return importCommand(argv.slice(1), out, err);
  if (argv[0] === 'export') return exportCommand(argv.slice(1), out, err);
  if (argv[0] === 'backup' || argv[0] === 'restore') return backupCommand(argv[0], argv.slice(1), out, err);
  const { values, positionals } = parseCommandLine(argv, {
    url: { type: 'string', default: process.env.MERGINGTON_URL ?? 'http://127.0.0.1:3000/trpc' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const [command] = positionals;
  if (values.help || !command) {
    out(HELP);
    return values.help ? 0 : 2;
  }
  if (command !== 'activities') {
    out(`Unknown command "${command}".\n\n${HELP}`);
    return 2;
  }
  const { items: activities } = await apiClient(values.url).activities.list.query({
    pageSize: 100,
  });
  if (values.json) {
    out(JSON.stringify(activities, null, 2));
  } else {
    for (const activity of activities) {
      out(
        `${activity.name.padEnd(28)} ${String(activity.spotsLeft).padStart(3)} of ${activity.maxParticipants} left  ${activity.schedule}`,
      );
    }
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
