// Seeded randomness for the sample generator: every series draws from its own stream, named by a label,
// so adding a series never shifts the numbers of another and a review diff stays small.

/** The one seed of the sample data; change it and every sample file changes. */
export const SAMPLE_SEED = 20_251_231;

export interface Random {
  /** A uniform number in [0, 1). */
  uniform(): number;
  /** A standard normal number (Box-Muller). */
  normal(): number;
}

/** FNV-1a over the label's UTF-16 code units: a stable 32-bit seed per label. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32 seeded with SAMPLE_SEED and the label. */
export function randomFor(label: string): Random {
  let a = (hashLabel(label) ^ SAMPLE_SEED) >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}
