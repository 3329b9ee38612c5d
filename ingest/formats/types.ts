import type { Readable } from "node:stream";
import type { SourcePosition } from "../../schemas/index.ts";

/** One record read from a source, or why a part of the source could not be read. Readers never throw on bad data. */
export type ParsedRow =
  | { ok: true; position: SourcePosition; fields: Record<string, string> }
  | { ok: false; position: SourcePosition; reason: string; code: string; raw?: string };

/** The bytes of a source: a stream, or a way to open it (again: the XLSX reader reads a workbook twice). */
export type SourceInput = Readable | (() => Readable);
