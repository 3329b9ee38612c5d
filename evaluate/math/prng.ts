// Seeded PRNG so Monte Carlo results are reproducible run to run.
import { MathInputError } from "./errors.ts";

/**
 * mulberry32: a 32-bit-state generator returning uniforms in [0, 1). Same seed, same
 * sequence. The seed must be an integer; it is reduced modulo 2³².
 */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new MathInputError("seed", `must be an integer, got ${seed}`);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
