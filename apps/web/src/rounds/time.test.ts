import { describe, expect, it } from 'vitest';
import { duration, moved, wallClock } from './time.ts';

describe('a round countdown and ranking', () => {
  it('says the time left in days, hours, minutes and seconds, leaving out the empty leading ones', () => {
    expect(duration(0)).toBe('0 min 0 s');
    expect(duration(-5000)).toBe('0 min 0 s');
    expect(duration(61_001)).toBe('1 min 2 s');
    expect(duration(3_600_000)).toBe('1 h 0 min 0 s');
    expect(duration(2 * 86_400_000 + 5000)).toBe('2 d 0 h 0 min 5 s');
  });

  it("shows a round's wall-clock time with a space", () => {
    expect(wallClock('2027-09-01T08:00')).toBe('2027-09-01 08:00');
  });

  it('moves a choice one place up or down, and not past either end', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
