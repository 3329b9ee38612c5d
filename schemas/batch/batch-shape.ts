import { z } from "zod";
import { FeedId } from "../source.ts";
import type { ObservationBatch } from "./observation-batch.ts";
import type { PositionColumns } from "./positions.ts";
import type { RawBatch } from "./raw-batch.ts";
import type { TextColumn } from "./text-column.ts";

/**
 * zod checks a batch's shape once, not its rows: the provenance, that every column has a row per row and codes
 * inside its dictionary, and that the dictionaries of the catalog columns hold well-formed values. A batch that
 * fails is refused whole, with these reasons, as a dead letter of its own.
 */
const Provenance = z.object({
  feed: FeedId,
  uri: z.string().min(1),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  seq: z.int().nonnegative(),
  rows: z.int().nonnegative(),
});

const Iso = z.iso.datetime({ offset: true });

function column(name: string, rows: number, dictionary?: z.ZodType<string>) {
  return z.custom<TextColumn>().superRefine((c, ctx) => {
    if (c.codes.length !== rows)
      ctx.addIssue({ code: "custom", message: `${name} has ${c.codes.length} rows, not ${rows}` });
    const n = c.values.length;
    const codes = c.codes;
    // An indexed loop: a typed array's iterator cost more than the check (a third of a second per 10^6 rows).
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code < -1 || code >= n) {
        ctx.addIssue({ code: "custom", message: `${name} has a code outside its dictionary of ${n}` });
        break;
      }
    }
    if (dictionary)
      for (const v of c.values) {
        const r = dictionary.safeParse(v);
        if (!r.success) {
          ctx.addIssue({ code: "custom", message: `${name}: "${v.slice(0, 40)}" ${r.error.issues[0]?.message ?? ""}` });
          break;
        }
      }
  });
}

function positions(p: PositionColumns, rows: number): string[] {
  const short = [p.line, p.row, p.offset].filter((c) => c.length !== rows).length;
  return short > 0 ? [`${short} position column(s) do not have ${rows} rows`] : [];
}

function issuesOf(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "batch"}: ${i.message}`);
}

/** Why a raw batch's shape is wrong, or nothing. */
export function rawBatchProblems(b: RawBatch): string[] {
  return [
    ...issuesOf(Provenance.extend({ receivedAt: Iso }).safeParse(b)),
    ...b.fields.flatMap((f) => issuesOf(column(`field ${f.name}`, b.rows).safeParse(f.column))),
    ...issuesOf(column("vintage", b.rows, Iso).safeParse(b.vintage)),
    ...positions(b.position, b.rows),
  ];
}

/** Why an observation batch's shape is wrong, or nothing. */
export function observationBatchProblems(b: ObservationBatch): string[] {
  const text = z.string().min(1);
  return [
    ...issuesOf(Provenance.extend({ ingestedAt: Iso }).safeParse(b)),
    ...issuesOf(column("indicator", b.rows, text).safeParse(b.indicator)),
    ...issuesOf(column("region", b.rows, text).safeParse(b.region)),
    ...issuesOf(column("period", b.rows, z.string().regex(/^\d{4}(Q[1-4]|-\d{2})?$/)).safeParse(b.period)),
    ...issuesOf(column("unit", b.rows, text).safeParse(b.unit)),
    ...issuesOf(column("vintage", b.rows, Iso).safeParse(b.vintage)),
    ...(b.value.length === b.rows ? [] : [`value has ${b.value.length} rows, not ${b.rows}`]),
    ...positions(b.position, b.rows),
  ];
}
