/** Keys whose values are never printed; a path to a secret file is not itself secret. */
const SECRET_KEY = /^(password|secret|token|apiKey|authorization)$/i;
export const MASK = "********";

/** A deep copy of the configuration with every secret value replaced by a mask, for `gongfu config` and logs. */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => maskSecrets(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== undefined ? MASK : maskSecrets(v);
  return out as T;
}
