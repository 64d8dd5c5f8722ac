import { randomInt } from 'node:crypto';

/** A fresh seed for a draw: 31 bits, so it fits the table's int column and a zod int. */
export function newSeed(): number {
  return randomInt(0, 2 ** 31);
}

/**
 * mulberry32: a small, fast PRNG whose whole state is its 32-bit seed, so a stored seed replays a draw
 * exactly (Math.random cannot be seeded). Returns floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random order of the items (Fisher-Yates), the same for the same seed and items. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
