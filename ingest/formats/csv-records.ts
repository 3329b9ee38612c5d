/** A CSV record as fields, with the physical line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record could not be split cleanly; the fields are what was read. */
  problem?: { code: string; reason: string };
}

/**
 * Splits text chunks into RFC 4180 records as they stream in: quoted fields, doubled quotes, CRLF or LF,
 * line breaks inside quotes. Memory is bounded by the longest record, which is capped by `maxRecordChars`.
 */
export async function* splitCsvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
  maxRecordChars: number,
): AsyncGenerator<CsvRecord> {
  const delim = delimiter.charCodeAt(0);
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let recordChars = 0;
  let oversize = false;
  let pendingCR = false;

  const endRecord = (): CsvRecord | undefined => {
    fields.push(field);
    const rec: CsvRecord = { line: recordLine, fields };
    if (oversize) rec.problem = { code: "oversize_record", reason: `record longer than ${maxRecordChars} characters` };
    const empty = fields.length === 1 && fields[0] === "" && !oversize;
    fields = [];
    field = "";
    recordChars = 0;
    oversize = false;
    quoteJustClosed = false;
    return empty ? undefined : rec;
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (pendingCR) {
        pendingCR = false;
        if (c === 10) continue; // CRLF: the CR already ended the record
      }
      if (inQuotes) {
        if (c === 34) {
          if (chunk.charCodeAt(i + 1) === 34) {
            field += '"';
            i++;
          } else if (i + 1 === chunk.length) {
            inQuotes = false;
            quoteJustClosed = true;
          } // decided by the next char; a doubled quote split across chunks is rare and handled below
          else {
            inQuotes = false;
            quoteJustClosed = true;
          }
          continue;
        }
        if (c === 10) line++;
        if (++recordChars > maxRecordChars) {
          oversize = true;
          continue;
        }
        field += chunk[i];
        continue;
      }
      if (c === 34 && quoteJustClosed) {
        field += '"';
        inQuotes = true;
        quoteJustClosed = false;
        continue;
      } // "" split across chunks
      if (c === 34 && field === "") {
        inQuotes = true;
        continue;
      }
      if (c === delim) {
        fields.push(field);
        field = "";
        quoteJustClosed = false;
        continue;
      }
      if (c === 10 || c === 13) {
        const rec = endRecord();
        if (rec) yield rec;
        line++;
        recordLine = line;
        if (c === 13) pendingCR = true;
        continue;
      }
      quoteJustClosed = false;
      if (++recordChars > maxRecordChars) {
        oversize = true;
        continue;
      }
      field += chunk[i];
    }
  }
  if (inQuotes) {
    fields.push(field);
    yield {
      line: recordLine,
      fields,
      problem: {
        code: "truncated",
        reason: "the file ends inside a quoted field (truncated file or unbalanced quote)",
      },
    };
    return;
  }
  if (field !== "" || fields.length > 0) {
    const rec = endRecord();
    if (rec) yield rec;
  }
}
