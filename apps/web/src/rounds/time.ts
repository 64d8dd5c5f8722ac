import { useEffect, useState } from 'react';

/** "2 d 3 h 0 min 5 s", "4 min 0 s": what is left until an instant, in whole seconds (never negative). */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [days > 0 && `${days} d`, (days > 0 || hours > 0) && `${hours} h`];
  return [...parts, `${minutes} min`, `${seconds % 60} s`].filter(Boolean).join(' ');
}

/** "2027-09-01T08:00" (a round's school wall-clock time) as "2027-09-01 08:00". */
export const wallClock = (value: string) => value.replace('T', ' ');

/**
 * The server's clock now, ticking every second: `serverNow` is the API's clock when the data was read, so a
 * countdown does not trust a device whose clock is off.
 */
export function useServerClock(serverNow: Date, readAt: number): number {
  const offset = serverNow.getTime() - readAt;
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const timer = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

/** The list with the item at `index` moved by `by` places (-1: up, 1: down); unchanged at either end. */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
