/**
 * Settings that were renamed: the old name still works, so a configuration file or a deployment's environment written
 * for an earlier release keeps running, and the loader of the configuration says which name to use instead.
 */

/** A renamed setting of the configuration file, by its path. */
interface RenamedKey {
  old: readonly string[];
  now: readonly string[];
}

/**
 * `load.maxBatch` was also the name of transform's records per Kafka transaction (`--batch-size`); the loader's is
 * the number of rows each merge takes, hence `load.mergeRows`.
 */
export const RENAMED_KEYS: readonly RenamedKey[] = [{ old: ["load", "maxBatch"], now: ["load", "mergeRows"] }];

/** What a renamed name set, for the warning the command line prints and for error messages. */
export interface Deprecation {
  /** The old name as given: a dotted path in the file, or an environment variable. */
  old: string;
  /** The name to use instead. */
  now: string;
  /** The file's value was dropped because the new name was set too. */
  ignored: boolean;
}

/**
 * Moves each renamed key of `raw` (mutated) to its new name. Where both are set the new name wins. Returns what it
 * found, and by the new dotted path the old one, so a bad value is reported under the name the file uses.
 */
export function applyRenamedKeys(raw: Record<string, unknown>): {
  deprecations: Deprecation[];
  oldPathOf: Map<string, readonly string[]>;
} {
  const deprecations: Deprecation[] = [];
  const oldPathOf = new Map<string, readonly string[]>();
  for (const { old, now } of RENAMED_KEYS) {
    const parent = objectAt(raw, old.slice(0, -1));
    const oldKey = old[old.length - 1]!;
    if (parent === undefined || !(oldKey in parent)) continue;
    const value = parent[oldKey];
    delete parent[oldKey];
    // A renamed key keeps its section: only the last part changes.
    const newKey = now[now.length - 1]!;
    const ignored = newKey in parent;
    if (!ignored) {
      parent[newKey] = value;
      oldPathOf.set(now.join("."), old);
    }
    deprecations.push({ old: old.join("."), now: now.join("."), ignored });
  }
  return { deprecations, oldPathOf };
}

function objectAt(raw: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = raw;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === "object" && !Array.isArray(node)
    ? (node as Record<string, unknown>)
    : undefined;
}
