// Workbooks with stable bytes: exceljs stamps the current time into the document properties and into every zip
// entry, so the same data would give a different file on every run.
import ExcelJS from "exceljs";

export type Workbook = ExcelJS.Workbook;
export type Worksheet = ExcelJS.Worksheet;

/** A workbook whose properties carry `published` instead of the time of the run. */
export function newWorkbook(published: Date, author: string): Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = author;
  wb.lastModifiedBy = author;
  wb.created = published;
  wb.modified = published;
  return wb;
}

export async function workbookBytes(wb: Workbook, published: Date): Promise<Buffer> {
  return setZipTimes(reorderZip(Buffer.from(await wb.xlsx.writeBuffer()), EXCEL_ORDER), published);
}

/**
 * Excel writes the workbook part, its relationships, the shared strings and the styles before the sheets; exceljs
 * writes the workbook part last, which its own streaming reader cannot read back once a workbook has five or more
 * sheets (exceljs issue #962). The samples follow Excel.
 */
const EXCEL_ORDER = [
  "[Content_Types].xml",
  "_rels/.rels",
  "xl/workbook.xml",
  "xl/_rels/workbook.xml.rels",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
];

/** MS-DOS time and date fields of a zip entry (local time; we write the UTC parts). */
function dosDateTime(at: Date): [time: number, date: number] {
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  const date = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  return [time, date];
}

interface ZipEntry {
  name: string;
  central: Buffer;
  local: Buffer;
}

function zipEntries(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip file: no end-of-central-directory record");
  const entries: ZipEntry[] = [];
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at byte ${p}`);
    if (zip.readUInt16LE(p + 8) & 0x08) throw new Error("zip entries with data descriptors are not supported");
    const size = 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const localSize = 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28) + zip.readUInt32LE(p + 20);
    entries.push({
      name: zip.toString("utf8", p + 46, p + 46 + zip.readUInt16LE(p + 28)),
      central: zip.subarray(p, p + size),
      local: zip.subarray(local, local + localSize),
    });
    p += size;
  }
  return entries;
}

/** The same zip with the entries named in `first` moved to the front, in that order; the rest keep theirs. */
export function reorderZip(zip: Buffer, first: readonly string[]): Buffer {
  const entries = zipEntries(zip);
  const rank = (e: ZipEntry) => (first.includes(e.name) ? first.indexOf(e.name) : first.length);
  const ordered = entries
    .map((e, i) => [e, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([e]) => e);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of ordered) {
    const central = Buffer.from(e.central);
    central.writeUInt32LE(offset, 42);
    locals.push(e.local);
    centrals.push(central);
    offset += e.local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(ordered.length, 8);
  end.writeUInt16LE(ordered.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Rewrites the modification time of every entry, in the central directory and in the local headers. */
export function setZipTimes(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  const [time, date] = dosDateTime(at);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip file: no end-of-central-directory record");
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at byte ${p}`);
    out.writeUInt16LE(time, p + 12);
    out.writeUInt16LE(date, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header at byte ${local}`);
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

/** Bold, centred header cells with thin borders, as the departments' templates have them. */
export function styleHeader(ws: Worksheet, rows: readonly number[]): void {
  for (const r of rows) {
    ws.getRow(r).eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
      cell.border = {
        top: { style: "thin" },
        bottom: { style: "thin" },
        left: { style: "thin" },
        right: { style: "thin" },
      };
    });
  }
}
