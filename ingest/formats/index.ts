import type { Readable } from "node:stream";
import type { FeedSpec } from "../../schemas/index.ts";
import { readCsv } from "./csv.ts";
import { readJson } from "./json.ts";
import { readNdjson } from "./ndjson.ts";
import { headerNeeds } from "./header-check.ts";
import type { ParsedRow, SourceInput } from "./types.ts";

export type { ParsedRow, SourceInput } from "./types.ts";

const open = (input: SourceInput): Readable => (typeof input === "function" ? input() : input);

/** The columns the spec reads from a record: where a spreadsheet cell without a value matters. */
function usedColumns(spec: FeedSpec): Set<string> {
  const l = spec.layout;
  const cols = [
    l.region,
    l.period,
    spec.vintageColumn,
    ...(l.kind === "wide" ? Object.keys(l.columns) : [l.indicator, l.value, l.unit]),
  ];
  return new Set(cols.filter((c): c is string => c !== undefined));
}

/** Reads a source in the feed's format. Each format is a streaming reader of ParsedRows that never throws on bad data. */
export function readRows(input: SourceInput, spec: FeedSpec): AsyncIterable<ParsedRow> {
  const format = spec.format;
  const maxRecordBytes = spec.limits.maxRecordBytes;
  switch (format.kind) {
    case "csv":
      return readCsv(open(input), {
        encoding: format.encoding,
        delimiter: format.delimiter,
        skipLines: format.skipLines,
        maxRecordBytes,
        needs: headerNeeds(spec),
        ...(format.ignoreLines === undefined ? {} : { ignoreLines: new RegExp(format.ignoreLines) }),
      });
    case "xlsx": {
      const options = {
        sheets: format.sheets,
        skipRows: format.skipRows,
        headerRows: format.headerRows,
        sheetColumn: format.sheetColumn,
        maxRecordBytes,
        needs: headerNeeds(spec, format.sheetColumn ? [format.sheetColumn] : []),
        used: usedColumns(spec),
      };
      // The XLSX reader brings exceljs, ~0.2-0.3 s to import: loaded when a workbook is read, not at every start.
      return (async function* () {
        const { readXlsx } = await import("./xlsx.ts");
        yield* readXlsx(input, options);
      })();
    }
    case "json":
      return readJson(open(input), { encoding: "auto", dataPath: format.dataPath, maxRecordBytes });
    case "ndjson":
      return readNdjson(open(input), { encoding: "auto", maxRecordBytes });
  }
}
