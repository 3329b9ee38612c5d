import { z } from "zod";
import { memoize } from "./memo.ts";
import { Observation } from "./observation.ts";
import { RawRecord } from "./raw-record.ts";
import { FeedId } from "./source.ts";

/**
 * Validators that give zod's answer for the records the pipeline moves in bulk, at a fraction of the cost. A record
 * of the usual shape (a plain object with exactly the schema's keys) is checked field by field, and each string
 * field's zod check runs once per distinct value (vintages, feeds, files, periods repeat across a batch); anything
 * else — extra keys, wrong types, values zod would refuse — goes to zod itself, for its verdict and its messages.
 * So the accepted set is zod's: `test/schemas/fast-validators.test.ts` checks it against zod on generated inputs.
 */
export type Validate<T> = (value: unknown) => z.ZodSafeParseResult<T>;

/** A zod string check remembered per value (schemas/memo.ts bounds how many). */
function memoCheck(schema: z.ZodType<string>): (s: unknown) => boolean {
  const passes = memoize((s: string) => schema.safeParse(s).success);
  return (s) => typeof s === "string" && passes(s);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Exactly these keys, no more: zod strips unknown keys from objects, so a record with extras is left to zod. */
function hasExactly(o: Record<string, unknown>, keys: number): boolean {
  return Object.keys(o).length === keys;
}

const isSafePositive = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v > 0;
const POSITION_KEYS = new Set(["line", "sheet", "row", "offset", "column"]);

function createSourceCheck(): (v: unknown) => boolean {
  const feed = memoCheck(FeedId);
  const uri = memoCheck(z.string().min(1));
  return (v) => {
    if (!isPlainObject(v) || !hasExactly(v, 3) || !feed(v["feed"]) || !uri(v["uri"])) return false;
    const p = v["position"];
    if (!isPlainObject(p)) return false;
    for (const k in p) {
      if (!POSITION_KEYS.has(k)) return false;
      const x = p[k];
      if (k === "sheet" || k === "column") {
        if (typeof x !== "string") return false;
      } else if (k === "offset") {
        if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) return false;
      } else if (!isSafePositive(x)) return false; // line, row: SourcePosition's positive ints
    }
    return true;
  };
}

function fastOrZod<T>(schema: z.ZodType<T>, fast: (v: unknown) => boolean): Validate<T> {
  return (value) => (fast(value) ? { success: true, data: value as T } : schema.safeParse(value));
}

/** Observation.safeParse, fast for well-formed observations. Keep one per consumer: it remembers strings it has seen. */
export function createObservationValidator(): Validate<Observation> {
  const indicator = memoCheck(Observation.shape.indicator);
  const region = memoCheck(Observation.shape.region);
  const period = memoCheck(Observation.shape.period);
  const unit = memoCheck(Observation.shape.unit);
  const time = memoCheck(Observation.shape.vintage);
  const source = createSourceCheck();
  return fastOrZod(Observation, (v) => {
    if (!isPlainObject(v) || !hasExactly(v, 8)) return false;
    const value = v["value"];
    return (
      indicator(v["indicator"]) &&
      region(v["region"]) &&
      period(v["period"]) &&
      typeof value === "number" &&
      Number.isFinite(value) &&
      unit(v["unit"]) &&
      time(v["vintage"]) &&
      time(v["ingestedAt"]) &&
      source(v["source"])
    );
  });
}

/** RawRecord.safeParse, fast for well-formed records. Keep one per consumer. */
export function createRawRecordValidator(): Validate<RawRecord> {
  const feed = memoCheck(FeedId);
  const checksum = memoCheck(RawRecord.shape.checksum);
  const time = memoCheck(RawRecord.shape.vintage);
  const source = createSourceCheck();
  return fastOrZod(RawRecord, (v) => {
    if (!isPlainObject(v) || !hasExactly(v, 6)) return false;
    if (
      !feed(v["feed"]) ||
      !checksum(v["checksum"]) ||
      !time(v["receivedAt"]) ||
      !time(v["vintage"]) ||
      !source(v["source"])
    )
      return false;
    const fields = v["fields"];
    if (!isPlainObject(fields)) return false;
    for (const k in fields) if (typeof fields[k] !== "string") return false;
    return true;
  });
}
