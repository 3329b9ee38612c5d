import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeStream, detectEncoding } from "../../ingest/index.ts";

async function decodeAll(bytes: Buffer, encoding: "auto" | "gbk" | "utf-8", chunkSize = 7): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let text = "";
  for await (const part of decodeStream(Readable.from(chunks), encoding)) text += part as string;
  return text;
}

describe("decoding departmental files", () => {
  const header = "地区,年份,居民人均可支配收入(元)\r\n杭州市,2024年,79323\r\n";

  it("decodes a GBK file whose multi-byte characters are split across chunks", async () => {
    expect(await decodeAll(iconv.encode(header, "gbk"), "gbk", 5)).toBe(header);
  });

  it("recognises GBK bytes as not UTF-8 and reads them as GB18030", async () => {
    const gbk = iconv.encode(header, "gbk");
    expect(detectEncoding(gbk)).toBe("gb18030");
    expect(await decodeAll(gbk, "auto")).toBe(header);
  });

  it("recognises UTF-8 with and without a byte-order mark, and strips the mark", async () => {
    const utf8 = Buffer.from(header, "utf8");
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    expect(detectEncoding(utf8)).toBe("utf-8");
    expect(detectEncoding(bom)).toBe("utf-8-bom");
    expect(await decodeAll(bom, "auto")).toBe(header);
  });

  it("treats a UTF-8 sample cut inside a character as UTF-8", () => {
    const utf8 = Buffer.from("浙江省杭州市", "utf8");
    expect(detectEncoding(utf8.subarray(0, utf8.length - 1))).toBe("utf-8");
  });

  it("decodes a short file that ends before the sniffing window fills", async () => {
    expect(await decodeAll(iconv.encode("丽水市", "gbk"), "auto", 100)).toBe("丽水市");
  });
});
