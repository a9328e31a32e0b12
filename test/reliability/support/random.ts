/**
 * A seeded PRNG (mulberry32) so a failing trial can be replayed: every suite prints its
 * seed, and CATALYST_RELIABILITY_SEED=<n> reruns it.
 */
export interface Random {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

/** The seed for this run: the env override, else one derived from the clock. */
export function runSeed(): number {
  const fromEnv = Number(process.env.CATALYST_RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_147_483_647) + 1;
}

/** Heavy variants (more trials, more processes) run where CI sets CATALYST_HEAVY_TESTS=1. */
export const HEAVY = process.env.CATALYST_HEAVY_TESTS === '1';
