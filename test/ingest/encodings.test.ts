import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectEncoding, readRows, type ParsedRow } from "../../ingest/index.ts";
import { testSpec } from "./helpers/specs.ts";

const TEXT = `地区,年份,居民人均可支配收入\n${["杭州市", "宁波市", "温州市", "绍兴市", "湖州市", "嘉兴市"].map((c) => `${c},2024,70000`).join("\n")}\n`;

async function read(bytes: Buffer): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const row of readRows(Readable.from([bytes]), testSpec({ format: { kind: "csv" } }))) out.push(row);
  return out;
}

/** The UTF-8 bytes of TEXT with the last byte of 温 (line 4) cut away, as a broken copy-paste leaves it. */
function withCutCharacter(): Buffer {
  const bytes = Buffer.from(TEXT, "utf8");
  const at = bytes.indexOf(Buffer.from("温", "utf8"));
  return Buffer.concat([bytes.subarray(0, at + 2), bytes.subarray(at + 3)]);
}

describe("decoding a department's file", () => {
  it("keeps a UTF-8 file with one cut character as UTF-8 and dead-letters only that line", async () => {
    const bytes = withCutCharacter();
    expect(detectEncoding(bytes)).toBe("utf-8");
    const rows = await read(bytes);
    expect(rows.map((r) => (r.ok ? r.fields["地区"] : `${r.code}@${r.position.line}`))).toEqual([
      "杭州市",
      "宁波市",
      "bad_encoding@4",
      "绍兴市",
      "湖州市",
      "嘉兴市",
    ]);
  });

  it("still reads a GBK file as GB18030", async () => {
    const bytes = iconv.encode(TEXT, "gbk");
    expect(detectEncoding(bytes)).toBe("gb18030");
    expect((await read(bytes)).every((r) => r.ok)).toBe(true);
  });

  it("detects UTF-16 by its byte-order mark, in either byte order", async () => {
    for (const [encoding, detected] of [
      ["utf-16le", "utf-16le"],
      ["utf-16be", "utf-16be"],
    ] as const) {
      const bytes = iconv.encode(TEXT, encoding, { addBOM: true });
      expect(detectEncoding(bytes)).toBe(detected);
      const rows = await read(bytes);
      expect(rows).toHaveLength(6);
      expect(rows[0]).toMatchObject({ ok: true, fields: { 地区: "杭州市", 居民人均可支配收入: "70000" } });
    }
  });
});
