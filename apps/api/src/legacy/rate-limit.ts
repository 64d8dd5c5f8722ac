/** LEGACY_RATE_LIMIT's default: a kiosk taking a signup every second, with its page reloading after each. */
export const DEFAULT_LEGACY_RATE_LIMIT = 120;

/**
 * At most `limit` requests per client address per minute, counted in this process (a fixed one-minute
 * window per address). `take` answers 0 when the request may go on, else the seconds until it may.
 */
export function perAddressLimit(limit: number, windowMs = 60_000) {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    take(address: string, now = Date.now()): number {
      // Forget finished windows now and then, so that many addresses cannot grow the map without end.
      if (windows.size > 10_000) {
        for (const [key, window] of windows) if (now - window.startedAt >= windowMs) windows.delete(key);
      }
      let window = windows.get(address);
      if (!window || now - window.startedAt >= windowMs) {
        window = { startedAt: now, count: 0 };
        windows.set(address, window);
      }
      if (window.count >= limit) return Math.ceil((window.startedAt + windowMs - now) / 1000);
      window.count++;
      return 0;
    },
  };
}
