import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.ts';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  token: { type: 'string' },
  password: { type: 'string' },
  force: { type: 'boolean', default: false },
} as const;

describe('parseCommandLine', () => {
  it('reads the word after an option that takes a value as its value, even when it starts with a dash', () => {
    const { values, positionals } = parseCommandLine(
      ['backup.gz', '--token', '-x3Fq', '--password', '--secret', '-o', '-out.csv', '--force'],
      OPTIONS,
    );
    expect(values).toEqual({ token: '-x3Fq', password: '--secret', out: '-out.csv', force: true });
    expect(positionals).toEqual(['backup.gz']);
  });

  it('keeps the other spellings and leaves everything after -- as positionals', () => {
    const { values, positionals } = parseCommandLine(
      ['--token=-a', '-ob.csv', '--', '--force', '-o'],
      OPTIONS,
    );
    expect(values).toEqual({ token: '-a', out: 'b.csv', force: false });
    expect(positionals).toEqual(['--force', '-o']);
  });

  it('still refuses an option it does not know, and one left without its value', () => {
    expect(() => parseCommandLine(['--tokn', 'x'], OPTIONS)).toThrow(/Unknown option '--tokn'/);
    expect(() => parseCommandLine(['--token'], OPTIONS)).toThrow(/argument missing/);
  });
});
