import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSampleFiles, generateSamples, SAMPLES_ROOT } from "../../samples/generate/index.ts";
import { setZipTimes, reorderZip } from "../../samples/generate/xlsx.ts";
import { SAMPLE_FEEDS, SAMPLE_RECORD_FEEDS } from "./sample-feeds.ts";

const temps: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-samples-"));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("sample generator", () => {
  it("writes the same bytes on every run", async () => {
    const [a, b] = [tempDir(), tempDir()];
    await generateSamples(a);
    await new Promise((r) => setTimeout(r, 1100)); // a later second: time stamps must not leak into the files
    await generateSamples(b);
    const files = filesUnder(a);
    expect(files).toEqual(filesUnder(b));
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it("reproduces the committed sample files exactly (regenerate with node samples/generate/index.ts)", async () => {
    const files = await buildSampleFiles();
    expect(files.map((f) => f.path).sort()).toEqual(
      [...Object.values(SAMPLE_FEEDS), ...Object.values(SAMPLE_RECORD_FEEDS)].sort(),
    );
    for (const f of files) expect(readFileSync(join(SAMPLES_ROOT, f.path)).equals(f.bytes), f.path).toBe(true);
  });
});

describe("stable workbook bytes", () => {
  const zip = (): Buffer => {
    // A two-entry zip ("b" then "a"), stored, as a zip tool would write it.
    const entry = (name: string, data: string, offset: number) => {
      const n = Buffer.from(name);
      const d = Buffer.from(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt32LE(d.length, 18);
      local.writeUInt32LE(d.length, 22);
      local.writeUInt16LE(n.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt32LE(d.length, 20);
      central.writeUInt32LE(d.length, 24);
      central.writeUInt16LE(n.length, 28);
      central.writeUInt32LE(offset, 42);
      return { local: Buffer.concat([local, n, d]), central: Buffer.concat([central, n]) };
    };
    const b = entry("b", "BBB", 0);
    const a = entry("a", "AA", b.local.length);
    const dir = Buffer.concat([b.central, a.central]);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(2, 8);
    end.writeUInt16LE(2, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(b.local.length + a.local.length, 16);
    return Buffer.concat([b.local, a.local, dir, end]);
  };

  it("moves the named entries to the front and keeps every offset right", () => {
    const out = reorderZip(zip(), ["a"]);
    expect(out.subarray(30, 31).toString()).toBe("a");
    const eocd = out.length - 22;
    const dirStart = out.readUInt32LE(eocd + 16);
    const firstLocal = out.readUInt32LE(dirStart + 42);
    const secondLocal = out.readUInt32LE(dirStart + 46 + 1 + 42);
    expect(out.subarray(firstLocal + 30, firstLocal + 33).toString()).toBe("aAA");
    expect(out.subarray(secondLocal + 30, secondLocal + 34).toString()).toBe("bBBB");
  });

  it("writes one time stamp into every local and central header", () => {
    const out = setZipTimes(zip(), new Date("2026-03-31T12:34:56Z"));
    const time = (12 << 11) | (34 << 5) | 28;
    const date = ((2026 - 1980) << 9) | (3 << 5) | 31;
    const eocd = out.length - 22;
    let p = out.readUInt32LE(eocd + 16);
    for (let i = 0; i < 2; i++) {
      const local = out.readUInt32LE(p + 42);
      expect([
        out.readUInt16LE(p + 12),
        out.readUInt16LE(p + 14),
        out.readUInt16LE(local + 10),
        out.readUInt16LE(local + 12),
      ]).toEqual([time, date, time, date]);
      p += 46 + out.readUInt16LE(p + 28);
    }
  });
});
