import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { defaultCatalog } from "../schemas/index.ts";
import { mulberry32 } from "../evaluate/index.ts";

export const BENCH_HEADER = "地区代码,指标,时期,数值,单位";

/**
 * Writes a long-layout CSV of `n` observations: real region codes (all 102), catalog indicators with their units,
 * monthly periods 2019-2025, plausible values. Each (indicator, region, period) cell appears at most once up to
 * 102 × indicators × 84 cells; beyond that, later rows are revisions of earlier cells (as a backfill would be).
 */
export async function generateLongCsv(path: string, n: number, seed = 20251): Promise<void> {
  const catalog = defaultCatalog();
  const regions = catalog.regions.map((r) => r.code);
  const indicators = catalog.indicators.filter((i) => i.unit !== "%" || true);
  const periods: string[] = [];
  for (let y = 2019; y <= 2025; y++) for (let m = 1; m <= 12; m++) periods.push(`${y}-${String(m).padStart(2, "0")}`);
  // Seeded, so every benchmark input is the same bytes on every machine.
  const random = mulberry32(seed);
  const out = createWriteStream(path, { encoding: "utf8" });
  out.write(`${BENCH_HEADER}\n`);
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const cell = i % (regions.length * indicators.length * periods.length);
    const region = regions[cell % regions.length]!;
    const indicator = indicators[Math.floor(cell / regions.length) % indicators.length]!;
    const period = periods[Math.floor(cell / (regions.length * indicators.length)) % periods.length]!;
    const value = indicator.unit === "%" ? (random() * 100).toFixed(2) : (random() * 100000).toFixed(1);
    chunk += `${region},${indicator.code},${period},${value},${indicator.unit}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

/** The feed spec that reads the generated file. */
export function benchFeedSpec(dropPath: string): string {
  return `id: bench-long
name: benchmark input (generated)
department: { code: bench, name: 基准测试 benchmark }
connector: { kind: file-drop, path: ${JSON.stringify(dropPath)}, pattern: "*.csv" }
format: { kind: csv, encoding: utf-8 }
layout: { kind: long, region: 地区代码, indicator: 指标, period: 时期, value: 数值, unit: 单位 }
frequency: monthly
`;
}
