// How every command reads its command line.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs, with the word after an option that takes a value always read as that value. parseArgs refuses
 * `--password -x` as ambiguous; a password may start with a dash, and so does one session token in 64.
 */
export function parseCommandLine<const O extends Options>(argv: string[], options: O) {
  return parseArgs({ args: withValuesJoined(argv, options), options, allowPositionals: true });
}

/** `--token -x` as `--token=-x`, and `-o -x` as `--out=-x`; nothing after `--` is touched. */
function withValuesJoined(argv: string[], options: Options): string[] {
  const longNameOf = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    longNameOf.set(`--${name}`, name);
    if (option.short) longNameOf.set(`-${option.short}`, name);
  }
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return [...args, ...argv.slice(i)];
    const name = longNameOf.get(word);
    if (name !== undefined && i + 1 < argv.length) args.push(`--${name}=${argv[++i]}`);
    else args.push(word);
  }
  return args;
}
