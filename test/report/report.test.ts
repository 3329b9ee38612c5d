import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { runEvaluation } from "../../evaluate/index.ts";
import { findRunRef, readReportData, reportHtml } from "../../report/index.ts";
import { createSyntheticWarehouse, insertObservations } from "../evaluate/synthetic-warehouse.ts";
import { provinceScenario } from "../evaluate/scenario.ts";
import { tagProblems } from "../evaluate/html-structure.ts";

let w: Warehouse;

// Read-only tests share one evaluated warehouse.
beforeAll(async () => {
  w = await createSyntheticWarehouse();
  await insertObservations(w.connection, provinceScenario());
  await runEvaluation(w.connection, {
    period: "2025-09",
    asOf: "2025-10-01T00:00:00Z",
    config: { sensitivity: { draws: 100 } },
  });
});
afterAll(() => w.close());

async function report(): Promise<string> {
  return reportHtml(
    await readReportData(w.connection, await findRunRef(w.connection, { period: "2025-09" })),
    "2025-10-02T00:00:00Z",
  );
}

describe("the HTML report", () => {
  it("has every section, with Chinese labels beside English", async () => {
    const html = await report();
    for (const id of ["summary", "radar", "ranking", "trends", "furthest", "disparity", "coverage"])
      expect(html).toContain(`<section id="${id}">`);
    for (const label of [
      "七个维度 The seven dimensions",
      "设区市排序 City ranking",
      "趋势 Trends since 2020",
      "差距最大的指标 Indicators furthest from target",
      "数据覆盖 Data coverage",
    ])
      expect(html).toContain(label);
    expect(tagProblems(html)).toEqual([]);
  });

  it("is self-contained: inline SVG charts, no external scripts, styles, images or fonts", async () => {
    const html = await report();
    expect(html.match(/<svg /g)?.length ?? 0).toBeGreaterThan(10);
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("draws the radar for the province with every city selectable, and D1 marked unscored", async () => {
    const html = await report();
    const radar = html.slice(html.indexOf('<section id="radar">'), html.indexOf('<section id="ranking">'));
    expect(radar.match(/<g class="series"/g)).toHaveLength(12);
    expect(radar.match(/<option value="33\d{4}">/g)).toHaveLength(11);
    expect(radar).toMatch(/D1 [^(]*\(未计分 not scored\)/);
  });

  it("prints every dimension name whole, in the radar and the table headers", async () => {
    const html = await report();
    const radar = html.slice(html.indexOf('<section id="radar">'), html.indexOf('<section id="ranking">'));
    const name = "橄榄型社会结构与地区、城乡、收入差距缩小";
    expect(radar).toContain(`<small class="dim">${name}</small>`);
    const svgText = radar.slice(radar.indexOf("<svg"), radar.indexOf("</svg>")).replace(/<[^>]+>/g, "");
    expect(svgText).toContain(`D3 ${name}`);
    expect(radar).not.toContain("…");
  });

  it("shows D1 as not scored in the coverage table, never as a red 0%", async () => {
    const html = await report();
    const coverage = html.slice(html.indexOf('<section id="coverage">'));
    const d1 = coverage.slice(coverage.indexOf("<th>D1 "), coverage.indexOf("</tr>", coverage.indexOf("<th>D1 ")));
    expect(d1).toContain("not scored 未计分 — no quantitative target in the plan 无量化目标");
    expect(d1).not.toContain("0%");
  });

  it("ranks the eleven cities with their sensitivity interval and lists the weakest indicators first", async () => {
    const html = await report();
    const ranking = html.slice(html.indexOf('<section id="ranking">'), html.indexOf('<section id="trends">'));
    expect(ranking.match(/<title>5%-95%: /g)).toHaveLength(11);
    expect(ranking.indexOf("杭州市")).toBeLessThan(ranking.indexOf("丽水市"));
    const furthest = html.slice(html.indexOf('<section id="furthest">'), html.indexOf('<section id="disparity">'));
    // Lishui's 50,000 / 75,000 is the lowest realisation in the data.
    expect(furthest.indexOf("丽水市")).toBeLessThan(furthest.indexOf("台州市"));
    expect(furthest).toContain("66.7%");
  });

  it("plots each province indicator since 2020 against the straight path to its target", async () => {
    const html = await report();
    const trends = html.slice(html.indexOf('<section id="trends">'), html.indexOf('<section id="furthest">'));
    for (const name of [
      "居民人均可支配收入",
      "设区市人均可支配收入最高最低倍差",
      "城乡居民收入倍差",
      "设区城市PM2.5平均浓度",
    ])
      expect(trends).toContain(name);
    // Income has a 2020 baseline and a target: a dashed path and the target ring.
    expect(trends).toContain("straight path 2020→2025");
    expect(trends).toContain("target 目标 &gt;= 75,000");
    expect(trends).toMatch(/2024: 1\.6 \(derived 推算\)/);
  });
});
