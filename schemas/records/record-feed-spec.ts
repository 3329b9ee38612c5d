import { z } from "zod";
import { FeedId } from "../source.ts";
import { Encoding, FeedFrequency, FileDropConnector } from "../feed-spec.ts";

/**
 * A record feed's spec (feeds/records/<id>.yaml): a department's records (households, registered entities, station
 * readings), one row per entity or event, not observations. Records land in a record table of their own; indicators
 * are derived from them by derivations (feeds/derivations/), never sent as observations.
 */

/** How a column's text is read. `region` is a GB/T 2260 code of the catalog; `date` is YYYY-MM-DD. */
export const RecordColumnType = z.enum(["string", "integer", "number", "date", "timestamp", "region"]);
export type RecordColumnType = z.infer<typeof RecordColumnType>;

/**
 * What kind of personal data a column holds:
 * - `none`: not personal (a region code, a survey year);
 * - `identifier`: a direct identifier (ID card, registration number), replaced at ingest by its keyed pseudonym;
 * - `drop`: a direct identifier nothing needs (a name, a phone number): it never leaves ingest;
 * - `attribute`: personal but needed by derivations (income): kept in the record table, never in logs, dead
 *   letters, the lake or bi.duckdb.
 */
export const PersonalKind = z.enum(["none", "identifier", "drop", "attribute"]);
export type PersonalKind = z.infer<typeof PersonalKind>;

export const RecordColumn = z
  .object({
    type: RecordColumnType,
    personal: PersonalKind.default("none"),
    /** A row without a value here is refused (a dead letter) unless the column is optional. */
    optional: z.boolean().default(false),
    /**
     * The least value an `integer` or `number` column may hold: a reading below it (a negative concentration) is
     * refused as `out_of_range`, since it is a fault of the instrument or the export, not a measurement.
     */
    min: z.number().optional(),
    /** Chinese and English description, shown as the warehouse column's comment. */
    comment: z.string().min(1).optional(),
  })
  .strict();
export type RecordColumn = z.infer<typeof RecordColumn>;

/** A column name as it becomes a warehouse column: lower-case ASCII, so SQL never needs to quote it oddly. */
export const RecordColumnName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    "a record column is lower-case letters, digits and underscores, starting with a letter",
  );

export const RecordSection = z
  .object({
    /** The columns of the file that make a record; other columns of the file are ignored. */
    columns: z.record(RecordColumnName, RecordColumn),
    /** The columns whose values name one entity or event; a later record with the same key and period revises it. */
    key: z.array(RecordColumnName).min(1),
    /** The region of a record (a county, or a city): rolled up to city and province by derivations. */
    region: RecordColumnName,
    /** When the event happened, or the survey period: a `date`, `timestamp` or `integer` (a year) column. */
    eventTime: RecordColumnName,
  })
  .strict();
export type RecordSection = z.infer<typeof RecordSection>;

export const RecordFeedSpec = z
  .object({
    id: FeedId,
    name: z.string().min(1),
    department: z.object({ code: z.string().min(1), name: z.string().min(1) }).strict(),
    connector: FileDropConnector,
    format: z
      .object({
        kind: z.literal("csv"),
        encoding: Encoding.default("utf-8"),
        delimiter: z.string().length(1).default(","),
        skipLines: z.int().nonnegative().default(0),
      })
      .strict(),
    records: RecordSection,
    frequency: FeedFrequency,
    /** When the department published the file, if not the file's time: the vintage of its records. */
    vintage: z.object({ published: z.iso.date() }).strict().optional(),
    limits: z
      .object({
        maxFileBytes: z
          .int()
          .positive()
          .default(2 * 1024 ** 3),
        maxRecordBytes: z
          .int()
          .positive()
          .default(64 * 1024),
      })
      .strict()
      .default({ maxFileBytes: 2 * 1024 ** 3, maxRecordBytes: 64 * 1024 }),
    sample: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const { columns, key, region, eventTime } = spec.records;
    const missing = (name: string, path: (string | number)[], role: string) => {
      if (columns[name] === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["records", ...path],
          message: `${role} ${name} is not one of records.columns; declare it there (with its type)`,
        });
    };
    key.forEach((k, i) => missing(k, ["key", i], "the key column"));
    missing(region, ["region"], "the region column");
    missing(eventTime, ["eventTime"], "the event-time column");
    const regionColumn = columns[region];
    if (regionColumn && regionColumn.type !== "region")
      ctx.addIssue({
        code: "custom",
        path: ["records", "region"],
        message: `the region column ${region} has type ${regionColumn.type}; give it type: region`,
      });
    const time = columns[eventTime];
    if (time && !["date", "timestamp", "integer"].includes(time.type))
      ctx.addIssue({
        code: "custom",
        path: ["records", "eventTime"],
        message: `the event-time column ${eventTime} has type ${time.type}; use date, timestamp or integer (a year)`,
      });
    for (const [name, column] of Object.entries(columns)) {
      // A record without its key could not be told from another's version: derivations pick a key's latest version,
      // and a count kept up to date looks the changed keys up. Such a record is refused at ingest instead.
      if (column.optional && key.includes(name))
        ctx.addIssue({
          code: "custom",
          path: ["records", "columns", name, "optional"],
          message: `${name} is a key column, so it cannot be optional; remove optional: a record without it is then refused with its line`,
        });
      if (column.personal === "drop" && [...key, region, eventTime].includes(name))
        ctx.addIssue({
          code: "custom",
          path: ["records", "columns", name, "personal"],
          message: `${name} is a key, region or event-time column, so it cannot be dropped; use personal: identifier to keep its pseudonym`,
        });
      if (column.personal === "identifier" && column.type !== "string")
        ctx.addIssue({
          code: "custom",
          path: ["records", "columns", name, "type"],
          message: `${name} is pseudonymised, so it is read as text; give it type: string`,
        });
      if (column.min !== undefined && column.type !== "integer" && column.type !== "number")
        ctx.addIssue({
          code: "custom",
          path: ["records", "columns", name, "min"],
          message: `${name} has type ${column.type}; min applies to integer and number columns only`,
        });
    }
  });
export type RecordFeedSpec = z.infer<typeof RecordFeedSpec>;

/** The columns that reach the record table: every declared column except the dropped ones. */
export function storedColumns(spec: RecordFeedSpec): [string, RecordColumn][] {
  return Object.entries(spec.records.columns).filter(([, c]) => c.personal !== "drop");
}

/** True when a record feed needs the pseudonym key (it has a column to pseudonymise). */
export function needsPseudonymKey(spec: RecordFeedSpec): boolean {
  return Object.values(spec.records.columns).some((c) => c.personal === "identifier");
}
