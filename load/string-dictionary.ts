/**
 * Numbers for the strings of buffered rows. Most observation columns repeat a few values (indicator, region, period,
 * unit, feed, file, vintage), so the loader appends small integers and each distinct string once: integer columns
 * are written into DuckDB vectors from JavaScript, while every string crosses into DuckDB in a native call of its own.
 */
export interface StringDictionary {
  /** The id of `value` (0-based), or null for undefined. */
  id(value: string | undefined): number | null;
  /** Strings added since the last call, with their ids, to append to the dictionary table. */
  takeNew(): Array<[number, string]>;
  /** Forgets every string (after the buffered rows that used them were merged). */
  clear(): void;
  readonly size: number;
}

export function createStringDictionary(): StringDictionary {
  const ids = new Map<string, number>();
  let fresh: Array<[number, string]> = [];
  return {
    id(value) {
      if (value === undefined) return null;
      let id = ids.get(value);
      if (id === undefined) {
        id = ids.size;
        ids.set(value, id);
        fresh.push([id, value]);
      }
      return id;
    },
    takeNew() {
      const out = fresh;
      fresh = [];
      return out;
    },
    clear() {
      ids.clear();
      fresh = [];
    },
    get size() {
      return ids.size;
    },
  };
}
