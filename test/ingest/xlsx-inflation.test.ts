import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ParsedRow } from "../../ingest/index.ts";
import { readXlsx } from "../../ingest/formats/xlsx.ts";
import { workbookEntries, zip, type ZipEntry } from "../reliability/corpus/zip.ts";

const MiB = 1024 ** 2;
const LIMIT = { ratio: 200, minBytes: 8 * MiB };
const options = {
  sheets: undefined,
  skipRows: 0,
  headerRows: 1,
  sheetColumn: undefined,
  maxRecordBytes: 65536,
  needs: { all: ["地区", "年份"], anyOf: [] },
  used: new Set(["地区", "年份", "收入"]),
};
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** A cell: inline text, a shared-string index (`#n`) or a number. */
const cell = (ref: string, v: string | number) =>
  typeof v === "number"
    ? `<c r="${ref}"><v>${v}</v></c>`
    : v.startsWith("#")
      ? `<c r="${ref}" t="s"><v>${v.slice(1)}</v></c>`
      : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
const sheet = (rows: (string | number)[][]) =>
  Buffer.from(
    `${XML}<worksheet ${NS}><sheetData>` +
      `${rows.map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cell(`${"ABC"[c]}${i + 1}`, v)).join("")}</row>`).join("")}` +
      `</sheetData></worksheet>`,
  );
const ROWS = [
  ["地区", "年份", "收入"],
  ["杭州市", "2024", 79323],
  ["宁波市", "2024", 76690],
];
/** Shared strings of `bytes` size: many short strings, as a sheet's text would be, compressing about a thousand-fold. */
const sharedStrings = (bytes: number) => {
  const item = Buffer.from("<si><t>杭州市上城区</t></si>");
  return Buffer.concat([
    Buffer.from(`${XML}<sst ${NS}>`),
    Buffer.alloc(bytes - (bytes % item.length), item),
    Buffer.from("</sst>"),
  ]);
};
const part = (name: string, data: Buffer): ZipEntry => ({ name, data });

async function read(bytes: Buffer): Promise<{ rows: ParsedRow[]; heapGrowth: number }> {
  const rows: ParsedRow[] = [];
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  try {
    for await (const row of readXlsx(() => Readable.from([bytes]), { ...options, inflateLimit: LIMIT })) rows.push(row);
  } finally {
    clearInterval(sample);
  }
  return { rows, heapGrowth: Math.max(peak, process.memoryUsage().heapUsed) - before };
}

const refusedNaming = (name: string) => [
  expect.objectContaining({
    ok: false,
    code: "refused_workbook",
    position: {},
    reason: expect.stringMatching(new RegExp(`^${name.replaceAll(".", "\\.")} inflates past the limit: .*zip bomb`)),
  }),
];

describe("the XLSX zip-bomb limit counts every part the readers inflate", () => {
  it(
    "refuses a small workbook whose xl/sharedStrings.xml inflates past the limit, naming the " +
      "part, before exceljs caches a string",
    async () => {
      const bytes = zip(workbookEntries(sheet(ROWS), [part("xl/sharedStrings.xml", sharedStrings(120 * MiB))]));
      expect(bytes.length).toBeLessThan(MiB);
      const { rows, heapGrowth } = await read(bytes);
      expect(rows).toEqual(refusedNaming("xl/sharedStrings.xml"));
      // It stopped at the limit (here 200 times the file's size): the 120 MiB part was neither inflated whole nor held.
      const inflated = Number(/\((\d+) bytes from \d+\)/.exec((rows[0] as { reason: string }).reason)![1]);
      expect(inflated).toBeGreaterThan(LIMIT.ratio * bytes.length);
      expect(inflated).toBeLessThan(LIMIT.ratio * bytes.length + 32 * MiB);
      expect(heapGrowth).toBeLessThan(48 * MiB);
    },
  );

  it("finds the same part when the archive puts sizes in data descriptors (flag bit 3) rather than the local headers", async () => {
    const bytes = zip(workbookEntries(sheet(ROWS), [part("xl/sharedStrings.xml", sharedStrings(40 * MiB))]), {
      descriptors: true,
    });
    expect((await read(bytes)).rows).toEqual(refusedNaming("xl/sharedStrings.xml"));
  });

  it.each(["xl/styles.xml", "xl/theme/theme1.xml", "xl/media/image1.png", "docProps/app.xml"])(
    "refuses a workbook whose %s inflates past the limit",
    async (name) => {
      const bytes = zip(workbookEntries(sheet(ROWS), [part(name, Buffer.alloc(40 * MiB, " "))]));
      expect((await read(bytes)).rows).toEqual(refusedNaming(name));
    },
  );

  it("adds the parts up: three parts each under the limit, over it together", async () => {
    const extra = ["xl/media/a.bin", "xl/media/b.bin", "xl/media/c.bin"].map((n) =>
      part(n, Buffer.alloc(3 * MiB, "a")),
    );
    expect((await read(zip(workbookEntries(sheet(ROWS), extra.slice(0, 2))))).rows.filter((r) => r.ok)).toHaveLength(2);
    expect((await read(zip(workbookEntries(sheet(ROWS), extra)))).rows).toEqual(refusedNaming("xl/media/c.bin"));
  });

  it("reads a workbook with shared strings under the limit, with sizes in the headers or in data descriptors", async () => {
    const strings = part(
      "xl/sharedStrings.xml",
      Buffer.from(
        `${XML}<sst ${NS}><si><t>地区</t></si><si><t>年份</t></si><si><t>收入</t></si><si><t>丽水市</t></si></sst>`,
      ),
    );
    const entries = workbookEntries(
      sheet([
        ["#0", "#1", "#2"],
        ["#3", "2024", 50803],
      ]),
      [strings],
    );
    for (const bytes of [zip(entries), zip(entries, { descriptors: true })]) {
      expect((await read(bytes)).rows).toEqual([
        { ok: true, position: { sheet: "2024", row: 2 }, fields: { 地区: "丽水市", 年份: "2024", 收入: "50803" } },
      ]);
    }
  });

  it(
    "reads the entries the local headers show, whatever the central directory says: an extra " +
      "directory entry changes nothing",
    async () => {
      const plain = zip(
        workbookEntries(sheet(ROWS), [
          part("xl/sharedStrings.xml", Buffer.from(`${XML}<sst ${NS}><si><t>x</t></si></sst>`)),
        ]),
      );
      const expected = (await read(plain)).rows;
      expect(expected.filter((r) => r.ok)).toHaveLength(2);
      expect((await read(duplicateCentralEntry(plain, "xl/sharedStrings.xml", "xl/media/strings.xml"))).rows).toEqual(
        expected,
      );
    },
  );

  it("refuses an archive whose local headers hold a workbook part or a sheet twice (readers disagree on which copy counts)", async () => {
    for (const name of ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]) {
      const entries = workbookEntries(sheet(ROWS), [
        part("xl/sharedStrings.xml", Buffer.from(`${XML}<sst ${NS}><si><t>x</t></si></sst>`)),
      ]);
      const copy = entries.find((e) => e.name === name)!;
      expect((await read(zip([...entries, copy]))).rows).toEqual([
        expect.objectContaining({
          ok: false,
          code: "refused_workbook",
          reason: `the archive holds ${name} twice; refused (readers disagree on which copy counts)`,
        }),
      ]);
    }
  });
});

/** The archive with one more central directory entry: a copy of `name`'s, under `alias` (same length), at the same data. */
function duplicateCentralEntry(archive: Buffer, name: string, alias: string): Buffer {
  expect(alias.length).toBe(name.length);
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const start = archive.readUInt32LE(end + 16);
  const at = archive.indexOf(Buffer.from(name), start);
  const header = at - 46;
  expect(archive.readUInt32LE(header)).toBe(0x02014b50);
  const copy = Buffer.from(archive.subarray(header, at + name.length));
  copy.write(alias, 46);
  const eocd = Buffer.from(archive.subarray(end));
  eocd.writeUInt16LE(eocd.readUInt16LE(8) + 1, 8);
  eocd.writeUInt16LE(eocd.readUInt16LE(10) + 1, 10);
  eocd.writeUInt32LE(eocd.readUInt32LE(12) + copy.length, 12);
  return Buffer.concat([archive.subarray(0, end), copy, eocd]);
}

describe("the XLSX archive walk", () => {
  const twoSheets = (): ZipEntry[] => {
    // The second sheet is stored last, so a cut inside it leaves the first whole.
    const entries = [
      ...workbookEntries(sheet(ROWS)),
      part("xl/worksheets/sheet2.xml", sheet([ROWS[0]!, ["温州市", "2024", 69678]])),
    ];
    const text = (name: string, body: string) => part(name, Buffer.from(XML + body));
    return entries.map((e) =>
      e.name === "xl/workbook.xml"
        ? text(
            e.name,
            `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
              `<sheets><sheet name="2024" sheetId="1" r:id="rId1"/><sheet name="温州" sheetId="2" r:id="rId2"/>` +
              `</sheets></workbook>`,
          )
        : e.name === "xl/_rels/workbook.xml.rels"
          ? text(
              e.name,
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
                '<Relationship Id="rId1" ' +
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
                'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" ' +
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
                'Target="worksheets/sheet2.xml"/></Relationships>',
            )
          : e,
    );
  };

  it("reads the complete sheets of a truncated workbook, then one failed row saying where it ends", async () => {
    const bytes = zip(twoSheets());
    expect((await read(bytes)).rows.filter((r) => r.ok)).toHaveLength(3);
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from("xl/worksheets/sheet2.xml")) + 40);
    const { rows } = await read(cut);
    expect(rows.filter((r) => r.ok).map((r) => (r.ok ? r.position : {}))).toEqual([
      { sheet: "2024", row: 2 },
      { sheet: "2024", row: 3 },
    ]);
    expect(rows.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        code: "unreadable_workbook",
        reason: expect.stringContaining("the archive ends inside xl/worksheets/sheet2.xml"),
      }),
    ]);
  });

  it("reports a sheet that xl/workbook.xml does not list, and reads the listed one", async () => {
    const { rows } = await read(zip(workbookEntries(sheet(ROWS), [part("xl/worksheets/sheet2.xml", sheet(ROWS))])));
    expect(rows.filter((r) => r.ok)).toHaveLength(2);
    expect(rows.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        code: "unreadable_workbook",
        reason: expect.stringContaining("not listed in xl/workbook.xml"),
      }),
    ]);
  });

  it("names a sheet whose relation targets it by an absolute path (/xl/worksheets/…), as some writers do", async () => {
    const entries = workbookEntries(sheet(ROWS)).map((e) =>
      e.name === "xl/_rels/workbook.xml.rels"
        ? part(e.name, Buffer.from(e.data.toString().replace('Target="worksheets/', 'Target="/xl/worksheets/')))
        : e,
    );
    const { rows } = await read(zip(entries));
    expect(rows.map((r) => (r.ok ? r.position.sheet : r.reason))).toEqual(["2024", "2024"]);
  });

  it("refuses an archive with sheets but no xl/workbook.xml (their names are unknown) as not a workbook", async () => {
    const { rows } = await read(zip(workbookEntries(sheet(ROWS)).filter((e) => e.name !== "xl/workbook.xml")));
    expect(rows).toEqual([
      expect.objectContaining({ ok: false, code: "not_xlsx", reason: expect.stringContaining("no xl/workbook.xml") }),
    ]);
  });
});
