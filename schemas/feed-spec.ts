import { isAbsolute, normalize } from "node:path";
import { z } from "zod";
import { FeedId } from "./source.ts";
import { RegionCode } from "./catalog-schemas.ts";

/**
 * The schema of a feed's YAML file (feeds/<id>.yaml): everything needed to read one department's feed.
 * Adding a feed is writing one of these; no TypeScript.
 */
export const Encoding = z.enum(["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gbk", "gb18030", "auto"]);
export type Encoding = z.infer<typeof Encoding>;

export const FileDropConnector = z
  .object({
    kind: z.literal("file-drop"),
    /**
     * The drop folder, relative to the configured drop root (never `..` out of it), or absolute: then it must lie
     * under one of the configuration's `ingest.allowedRoots`.
     */
    path: z
      .string()
      .min(1)
      .refine(
        (p) => isAbsolute(p) || !normalize(p).split(/[\\/]/).includes(".."),
        "a relative drop folder must stay under the drop root (no ..)",
      ),
    /** Glob on the file name, e.g. `*.csv`. */
    pattern: z.string().default("*"),
    recursive: z.boolean().default(true),
    /**
     * A file is read once it has gone this long without a write (a slow upload pauses); default: the
     * configuration's `ingest.settleSeconds`. A `x.csv.done` marker beside a file makes it ready at once.
     */
    settleSeconds: z.int().nonnegative().optional(),
    /** `required`: read only files whose `.done` marker has arrived; `optional`: a marker just skips the wait. */
    readyMarker: z.enum(["optional", "required"]).default("optional"),
  })
  .strict();

/** A URL without `user:password@`: the spec file is committed and shown, so secrets go in the environment. */
export const FeedUrl = z
  .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
  .refine((url) => !URL.canParse(url) || (new URL(url).username === "" && new URL(url).password === ""), {
    // The message never quotes the URL: it would print the password it refuses.
    message:
      "the URL holds a user name or password (user:password@…); remove them and send the secret " +
      "as a header from an environment variable (connector.headersFromEnv, e.g. { Authorization: FEED_TOKEN })",
  });

export const HttpPollConnector = z
  .object({
    kind: z.literal("http-poll"),
    url: FeedUrl,
    /** Header name → environment variable holding its value; the value is never logged. */
    headersFromEnv: z.record(z.string(), z.string()).default({}),
    pagination: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("none") }),
        z.object({
          kind: z.literal("page"),
          param: z.string().default("page"),
          sizeParam: z.string().default("pageSize"),
          size: z.int().positive().default(500),
          start: z.int().nonnegative().default(1),
        }),
        z.object({
          kind: z.literal("offset"),
          param: z.string().default("offset"),
          limitParam: z.string().default("limit"),
          limit: z.int().positive().default(500),
        }),
        z.object({
          kind: z.literal("cursor"),
          param: z.string().default("cursor"),
          nextPath: z.string().default("next"),
        }),
      ])
      .default({ kind: "none" }),
    pollSeconds: z.int().positive().default(3600),
    timeoutMs: z.int().positive().default(10_000),
    retries: z.int().nonnegative().default(5),
    /** First retry delay; each further retry waits up to twice as long (full jitter), capped at 30 s. */
    backoffMs: z.int().positive().default(500),
    ratePerSecond: z.number().positive().default(5),
    /** A safety stop for an API that never reports its last page. */
    maxPages: z.int().positive().default(10_000),
  })
  .strict();

export const Connector = z.discriminatedUnion("kind", [FileDropConnector, HttpPollConnector]);
export type Connector = z.infer<typeof Connector>;

export const Format = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("csv"),
      encoding: Encoding.default("auto"),
      delimiter: z.string().length(1).default(","),
      /** Lines above the header (titles, notes) to skip. */
      skipLines: z.int().nonnegative().default(0),
      /** Lines below the header whose first field matches this regular expression (footnotes: `^(注|资料来源)`). */
      ignoreLines: z
        .string()
        .refine((r) => {
          try {
            return new RegExp(r).source.length > 0;
          } catch {
            return false;
          }
        }, "expected a regular expression")
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("xlsx"),
      /** Sheet names to read; all sheets when absent. */
      sheets: z.array(z.string()).optional(),
      /** Rows above the header (titles) to skip. */
      skipRows: z.int().nonnegative().default(0),
      /** Header rows; with 2+, merged group headers are joined to the leaf header with `/`. */
      headerRows: z.int().positive().default(1),
      /** A field that receives each sheet's name, so a sheet per year (or per city) can be the layout's period (or region). */
      sheetColumn: z.string().min(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal("json"), dataPath: z.string().optional() }).strict(),
  z.object({ kind: z.literal("ndjson") }).strict(),
]);
export type Format = z.infer<typeof Format>;

export const ColumnMapping = z
  .object({
    indicator: z.string().min(1),
    /** The unit values in this column are in; the catalog unit of the indicator when absent. */
    unit: z.string().optional(),
    /** A file may lack this column; every other mapped column must be in the header, or the file is refused. */
    optional: z.boolean().default(false),
  })
  .strict();

export const Layout = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("wide"),
      region: z.string().min(1),
      /** The column holding the period; or use `fixedPeriod`. */
      period: z.string().optional(),
      fixedPeriod: z.string().optional(),
      /** Source column → indicator; every other column is ignored. */
      columns: z.record(z.string(), ColumnMapping),
    })
    .strict(),
  z
    .object({
      kind: z.literal("long"),
      region: z.string().min(1),
      indicator: z.string().min(1),
      period: z.string().optional(),
      fixedPeriod: z.string().optional(),
      value: z.string().min(1),
      unit: z.string().optional(),
      /** The source's indicator names → catalog codes; codes pass through when absent. */
      indicatorMap: z.record(z.string(), z.string()).default({}),
    })
    .strict(),
]);
export type Layout = z.infer<typeof Layout>;

export const FeedFrequency = z.enum(["annual", "quarterly", "monthly", "daily"]);

export const FeedSpec = z
  .object({
    id: FeedId,
    name: z.string().min(1),
    department: z.object({ code: z.string().min(1), name: z.string().min(1) }).strict(),
    connector: Connector,
    format: Format,
    layout: Layout,
    /** How often the department publishes: for freshness in `gongfu status`. */
    frequency: FeedFrequency,
    /** The feed's own words for regions: `全省: "330000"`, `合计: "330100"`; also a name the catalog lacks. */
    regions: z
      .object({ aliases: z.record(z.string().min(1), RegionCode).default({}) })
      .strict()
      .default({ aliases: {} }),
    /** A column saying when a row was published (its vintage); wins over `vintage` for the rows that have one. */
    vintageColumn: z.string().optional(),
    /**
     * When a dropped file was published, if its rows do not say: a date in its name (`fileName`, a regular
     * expression whose first group is the date, e.g. `_(\\d{8})\\.csv$`), else the declared `published` date. Only
     * without both is the file's modification time used, and that is flagged in the log.
     */
    vintage: z
      .object({
        fileName: z
          .string()
          .refine((r) => {
            try {
              return new RegExp(r).source.includes("(");
            } catch {
              return false;
            }
          }, "expected a regular expression with a group around the date")
          .optional(),
        published: z.iso.date().optional(),
      })
      .strict()
      .optional(),
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
  .refine((s) => s.layout.period !== undefined || s.layout.fixedPeriod !== undefined, {
    message: "layout needs a period column (`period`) or a `fixedPeriod`",
    path: ["layout", "period"],
  });
export type FeedSpec = z.infer<typeof FeedSpec>;
