/** Deeper nesting than this is refused rather than flattened into thousands of fields. */
export const MAX_DEPTH = 32;

/** JSON.parse that keeps numbers as their source text: fields are strings, and "1.50" or a 20-digit id stays exact. */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? context.source : value,
  );
}

/**
 * Flattens one JSON record into string fields: nested objects joined with `.` (`{"income":{"urban":1}}` →
 * `income.urban`), array items by index (`values.0`), null as an empty string, booleans as `true`/`false`.
 * Returns why not when the value is not an object or is nested too deeply.
 */
export function flattenRecord(
  value: unknown,
): { ok: true; fields: Record<string, string> } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { ok: false, reason: `a record must be a JSON object, found ${describe(value)}` };
  const fields: Record<string, string> = {};
  const walk = (node: unknown, prefix: string, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    if (node !== null && typeof node === "object") {
      const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
      for (const [k, v] of entries) if (!walk(v, prefix ? `${prefix}.${k}` : k, depth + 1)) return false;
      return true;
    }
    fields[prefix] = node === null || node === undefined ? "" : String(node);
    return true;
  };
  if (!walk(value, "", 0)) return { ok: false, reason: `the record is nested deeper than ${MAX_DEPTH} levels` };
  return { ok: true, fields };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return String(value).slice(0, 40);
}
