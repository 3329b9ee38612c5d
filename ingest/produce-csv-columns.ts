import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import {
  BATCH_LIMITS,
  constantColumn,
  type Encoding,
  type FeedSpec,
  type RawBatch,
  type TextColumn,
  TextColumnBuilder,
} from "../schemas/index.ts";
import type { Progress } from "../runtime/progress.ts";
import type { SourceUnit } from "./connectors/types.ts";
import { ingestDeadLetter } from "./dead-letters.ts";
import { detectEncoding } from "./formats/decode.ts";
import { headerNeeds } from "./formats/header-check.ts";
import { probeCsvHeader } from "./formats/csv.ts";
import { plainCsvProblem } from "./formats/csv-plain-scan.ts";
import { utf8Copy } from "./formats/transcode-file.ts";
import { type CsvColumns, type CsvColumnsChunk, openCsvColumns } from "./formats/duckdb-csv.ts";
import type { ProduceDeps, SourceOutcome } from "./produce-deps.ts";
import { toIso } from "./iso-vintage.ts";
import { SourcePublisher } from "./source-publisher.ts";

/**
 * The fast path for CSV: DuckDB reads a plain UTF-8 file (see csv-plain-scan.ts) into columns, and this turns them
 * into the same RawBatches the JavaScript reader's rows would make: the same fields, texts, lines, vintages and dead
 * letters. Returns undefined, having handed on nothing, when the file is not for this path; the caller then reads
 * it with the JavaScript reader, which handles every case.
 */
export async function produceCsvColumns(
  spec: FeedSpec,
  unit: SourceUnit,
  deps: ProduceDeps,
  progress?: Progress,
): Promise<SourceOutcome | undefined> {
  const format = spec.format;
  if (format.kind !== "csv" || unit.path === undefined) return undefined;
  if (format.ignoreLines !== undefined) return undefined; // a JavaScript regular expression per line: its reader's
  const encoding = await utf8Encoding(unit.path, format.encoding);
  // Other encodings are transcoded to a temporary UTF-8 copy first, as a stream (the JavaScript reader decodes alike).
  const copy = encoding === "utf-8" ? undefined : await utf8Copy(unit.path, encoding);
  try {
    const plan = await planOf(spec, copy?.path ?? unit.path, copy === undefined ? format.encoding : "utf-8");
    if (typeof plan === "string") {
      deps.logger.debug({ feed: spec.id, uri: unit.uri, why: plan }, "CSV read by the JavaScript reader");
      return undefined;
    }
    const columns = await openCsvColumns(plan.read);
    if ("unreadable" in columns) {
      deps.logger.debug({ feed: spec.id, uri: unit.uri, why: columns.unreadable }, "CSV read by the JavaScript reader");
      return undefined;
    }
    return await assemble(spec, unit, deps, plan, columns, progress);
  } finally {
    copy?.remove();
  }
}

interface Plan {
  read: Parameters<typeof openCsvColumns>[0];
  /** Field names in the order a record object would list them (the order RawBatchBuilder would add them). */
  order: readonly number[];
  vintageIndex: number | undefined;
}

/** Why the file is not for DuckDB (a string), or what DuckDB is to read. */
async function planOf(spec: FeedSpec, path: string, encoding: Encoding): Promise<Plan | string> {
  const format = spec.format;
  if (format.kind !== "csv") return "not CSV";
  const options = {
    encoding,
    delimiter: format.delimiter,
    skipLines: format.skipLines,
    maxRecordBytes: spec.limits.maxRecordBytes,
    needs: headerNeeds(spec),
  };
  const header = await probeCsvHeader(createReadStream(path), options);
  if (header === undefined || header.stop || header.problems.length > 0)
    return "the header needs the JavaScript reader";
  // A record keyed by name keeps one of two equal names (blank ones may repeat): the JavaScript reader's business.
  if (new Set(header.header).size !== header.header.length) return "the header repeats a name";
  const problem = await plainCsvProblem(createReadStream(path), format.delimiter, header.line);
  if (problem !== undefined) return problem;
  const layout = spec.layout;
  const named = [layout.region, layout.period, spec.vintageColumn];
  if (layout.kind === "long") named.push(layout.indicator, layout.unit);
  const coded = [...new Set(named)].map((n) => (n === undefined ? -1 : header.header.indexOf(n))).filter((i) => i >= 0);
  // Object key order: integer-like names first, ascending, then the rest as they come (how `fields` was built).
  const keyOrder = Object.keys(Object.fromEntries(header.header.map((h, i) => [h, i])));
  const index = new Map(header.header.map((h, i) => [h, i]));
  const vintageIndex = spec.vintageColumn === undefined ? undefined : index.get(spec.vintageColumn);
  return {
    read: {
      path,
      header: header.header,
      headerLine: header.line,
      delimiter: format.delimiter,
      maxRecordBytes: spec.limits.maxRecordBytes,
      coded,
      mustCode: vintageIndex === undefined ? [] : [vintageIndex],
    },
    order: keyOrder.map((h) => index.get(h)!),
    vintageIndex,
  };
}

/** "utf-8" when the file is UTF-8 (with or without a BOM), else the encoding to transcode it from. */
async function utf8Encoding(path: string, encoding: Encoding): Promise<Encoding> {
  if (encoding === "utf-8" || encoding === "utf-8-bom") return "utf-8";
  if (encoding !== "auto") return encoding;
  const file = await open(path);
  try {
    const sample = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(sample, 0, sample.length, 0);
    const detected = detectEncoding(sample.subarray(0, bytesRead));
    return detected === "utf-8" || detected === "utf-8-bom" ? "utf-8" : detected;
  } finally {
    await file.close();
  }
}

/** Cuts the file's columns into RawBatches of at most BATCH_LIMITS, dead-lettering rows whose vintage is in the future. */
async function assemble(
  spec: FeedSpec,
  unit: SourceUnit,
  deps: ProduceDeps,
  plan: Plan,
  file: CsvColumns,
  progress: Progress | undefined,
): Promise<SourceOutcome> {
  const receivedAt = deps.now().toISOString();
  const receipt = Date.parse(receivedAt);
  const publisher = new SourcePublisher(deps.topics.raw(spec.id), deps);
  const outcome: SourceOutcome = { records: 0, rejected: 0, deadLetters: 0 };
  const header = plan.read.header;
  const vintages = vintageTable(file, plan.vintageIndex, unit.publishedAt, receipt);
  let seq = 0;
  let batch = new BatchColumns(header.length, file.dictionaries);
  let line = plan.read.headerLine;
  const flush = async () => {
    if (batch.rows === 0) return publisher.publish(undefined);
    const built = batch.build(plan.order, header, {
      feed: spec.id,
      uri: unit.uri,
      checksum: unit.checksum,
      seq: seq++,
      receivedAt,
    });
    batch = new BatchColumns(header.length, file.dictionaries);
    await publisher.publish(built);
  };
  for await (const chunk of file.chunks()) {
    for (let i = 0; i < chunk.rows; i++) {
      line++;
      const vintageCode = plan.vintageIndex === undefined ? -1 : (chunk.columns[plan.vintageIndex] as Int32Array)[i]!;
      if (vintageCode >= 0 && vintages.future[vintageCode]) {
        const vintage = vintages.iso[vintageCode]!;
        const reason = {
          code: "future_vintage",
          message: `vintage ${vintage} is later than its receipt ${receivedAt}`,
        };
        const fields = fieldsAt(chunk, i, header, file.dictionaries);
        const letter = ingestDeadLetter(spec, unit.uri, { line }, reason, receivedAt, fields, unit.checksum);
        outcome.rejected++;
        outcome.deadLetters++;
        if (publisher.deadLetter(letter)) await flush();
        continue;
      }
      batch.add(chunk, i, line, vintageCode >= 0 ? vintages.iso[vintageCode]! : unit.publishedAt);
      outcome.records++;
      if (batch.full) await flush();
    }
    progress?.tick(chunk.rows);
  }
  if (line - plan.read.headerLine !== file.rows)
    throw new Error(`${unit.uri}: DuckDB gave ${line - plan.read.headerLine} of the ${file.rows} records it counted`);
  await flush();
  await publisher.finish();
  return outcome;
}

/** Each distinct vintage text of the file as ISO 8601 (or the publication time), and whether it is after receipt. */
function vintageTable(file: CsvColumns, index: number | undefined, publishedAt: string, receipt: number) {
  const texts = index === undefined ? [] : (file.dictionaries[index] ?? []);
  const iso = texts.map((t) => toIso(t) || publishedAt);
  return { iso, future: iso.map((v) => Date.parse(v) > receipt) };
}

function fieldsAt(
  chunk: CsvColumnsChunk,
  i: number,
  header: readonly string[],
  dictionaries: CsvColumns["dictionaries"],
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [j, name] of header.entries()) {
    const column = chunk.columns[j]!;
    fields[name] = column instanceof Int32Array ? dictionaries[j]![column[i]!]! : column[i]!;
  }
  return fields;
}

/**
 * One batch being filled from DuckDB's chunks. A coded column maps the file dictionary's codes to the batch's own
 * (each distinct value once, in order of first use); a text column goes through TextColumnBuilder as a row would.
 */
class BatchColumns {
  rows = 0;
  private textUnits = 0;
  private readonly codes: (Int32Array | undefined)[];
  private readonly local: (Int32Array | undefined)[];
  private readonly values: string[][];
  private readonly texts: (TextColumnBuilder | undefined)[];
  private readonly lines = new Int32Array(BATCH_LIMITS.rows);
  private readonly vintage = new TextColumnBuilder(BATCH_LIMITS.rows);

  private readonly dictionaries: CsvColumns["dictionaries"];

  constructor(width: number, dictionaries: CsvColumns["dictionaries"]) {
    this.dictionaries = dictionaries;
    this.codes = dictionaries.map((d) => (d ? new Int32Array(BATCH_LIMITS.rows) : undefined));
    this.local = dictionaries.map((d) => (d ? new Int32Array(d.length).fill(-1) : undefined));
    this.values = Array.from({ length: width }, () => []);
    this.texts = dictionaries.map((d) => (d ? undefined : new TextColumnBuilder(BATCH_LIMITS.rows)));
  }

  get full(): boolean {
    if (this.rows >= BATCH_LIMITS.rows) return true;
    let units = this.textUnits;
    for (const t of this.texts) units += t?.textUnits ?? 0;
    return units >= BATCH_LIMITS.textUnits;
  }

  add(chunk: CsvColumnsChunk, i: number, line: number, vintage: string): void {
    const r = this.rows++;
    for (let j = 0; j < chunk.columns.length; j++) {
      const column = chunk.columns[j]!;
      if (column instanceof Int32Array) {
        const code = column[i]!;
        const local = this.local[j]!;
        let mapped = local[code]!;
        if (mapped < 0) {
          const text = this.dictionaries[j]![code]!;
          mapped = local[code] = this.values[j]!.push(text) - 1;
          this.textUnits += text.length;
        }
        this.codes[j]![r] = mapped;
      } else this.texts[j]!.push(column[i]);
    }
    this.lines[r] = line;
    this.vintage.push(vintage);
  }

  build(
    order: readonly number[],
    header: readonly string[],
    source: Omit<RawBatch, "kind" | "rows" | "fields" | "vintage" | "position">,
  ): RawBatch {
    const n = this.rows;
    const columnOf = (j: number): TextColumn =>
      this.codes[j] ? { values: this.values[j]!, codes: this.codes[j]!.subarray(0, n) } : this.texts[j]!.build();
    return {
      kind: "raw",
      ...source,
      rows: n,
      fields: order.map((j) => ({ name: header[j]!, column: columnOf(j) })),
      vintage: this.vintage.build(),
      position: {
        line: this.lines.subarray(0, n),
        row: new Int32Array(n),
        offset: new Float64Array(n).fill(-1),
        sheet: constantColumn(undefined, n),
        column: constantColumn(undefined, n),
      },
    };
  }
}
