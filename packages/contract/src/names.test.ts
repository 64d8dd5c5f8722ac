import { describe, expect, it } from 'vitest';
import { publicName } from './names.ts';

describe('publicName', () => {
  it('keeps the first name and the initial of the last', () => {
    expect(publicName('Emma Jones')).toBe('Emma J.');
  });

  it('drops middle names and uses the last word for the initial', () => {
    expect(publicName('Mary Ann van der Berg')).toBe('Mary B.');
  });

  it('leaves a one-word name as it is', () => {
    expect(publicName('Madonna')).toBe('Madonna');
  });

  it('ignores extra spaces, tabs and line breaks', () => {
    expect(publicName('  Emma \t  Jones\n ')).toBe('Emma J.');
  });

  it('takes a whole letter as the initial, however it is written', () => {
    expect(publicName('Zoë Ångström')).toBe('Zoë Å.');
    // Å written as A and a combining ring (U+030A).
    expect(publicName('Zoë A\u030Angström')).toBe('Zoë A\u030A.');
    expect(publicName('Łukasz Żółć')).toBe('Łukasz Ż.');
    expect(publicName('美咲 山田')).toBe('美咲 山.');
    expect(publicName('Ana 𝒵eta')).toBe('Ana 𝒵.');
  });

  it('is unchanged by a second application', () => {
    expect(publicName(publicName('Emma Grace Jones'))).toBe('Emma J.');
  });

  it('gives an empty name for a blank one', () => {
    expect(publicName('   ')).toBe('');
  });
});
