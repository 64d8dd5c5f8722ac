import { describe, expect, it } from 'vitest';
import { ConfigError, schoolTimeZone } from './env.ts';

describe('SCHOOL_TIME_ZONE', () => {
  it('defaults to America/New_York and takes any IANA zone', () => {
    expect(schoolTimeZone({})).toBe('America/New_York');
    expect(schoolTimeZone({ SCHOOL_TIME_ZONE: 'Europe/Berlin' })).toBe('Europe/Berlin');
  });

  it('refuses a name that is not a time zone, naming the variable', () => {
    expect(() => schoolTimeZone({ SCHOOL_TIME_ZONE: 'Mars/Olympus' })).toThrow(ConfigError);
    expect(() => schoolTimeZone({ SCHOOL_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /SCHOOL_TIME_ZONE must be an IANA/,
    );
  });
});
