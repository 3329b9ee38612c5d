// The terminal view of a run: header, derived indicators, composites with dimension scores, disparity.
import type { DisparityRow, RunSummary } from "../read/run-summary.ts";
import { fixed, pct, textTable } from "./text-table.ts";

const DIMS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7"];

function header(s: RunSummary, status: string, ms: number | null): string[] {
  const c = s.run.config;
  const run = `评价运行 evaluation run ${s.run.runId} · period 统计期 ${s.run.period}`;
  const method = `method ${String(c["method"])} · weights ${String(c["weights"])} · aggregation ${String(c["aggregation"])}`;
  const read = `${s.run.inputRowCount ?? 0} observations read · ${s.run.regions ?? 0} regions`;
  return [
    `${run} · as of 截至 ${s.run.asOf} (${s.run.asOfSource}) · ${status}`,
    `${method} · ${read}${ms === null ? "" : ` · ${Math.round(ms)} ms`}`,
  ];
}

function derivedLines(s: RunSummary): string[] {
  if (s.run.derived.length === 0) return ["derived 推算指标: none (every indicator used was reported)"];
  return [
    "derived 推算指标 (computed here, not reported):",
    ...s.run.derived.map((d) => `  ${d.indicator} @ ${d.region} (${d.periods.join(", ")}): ${d.rule}`),
  ];
}

function regionTable(s: RunSummary, limitCounties: number): string[] {
  const shown = [
    ...s.regions.filter((r) => r.level !== "county"),
    ...s.regions.filter((r) => r.level === "county").slice(0, limitCounties),
  ];
  const body = shown.map((r) => [
    `${r.name} ${r.code}`,
    pct(r.score),
    `${Math.round(r.coverage * 7)}/7`,
    r.rank === null ? "—" : String(r.rank),
    ...DIMS.map((d) => {
      const x = r.dimensions[d];
      if (x?.reason === "below_coverage") return "—*";
      if (!x?.scored) return "—";
      return pct(x.score, 0);
    }),
  ]);
  const hidden =
    s.regions.filter((r) => r.level === "county").length -
    Math.min(limitCounties, s.regions.filter((r) => r.level === "county").length);
  return [
    ...textTable(["地区 region", "综合 composite", "维度 dims", "名次 rank", ...DIMS], body),
    `—* not scored: less than ${pct(threshold(s), 0)} of the dimension's indicator weight has data 覆盖率不足，未计分` +
      " · — not scored 未计分 (D1 has no quantitative target)",
    "composites cover only the scored dimensions; a region is ranked only among regions scored on the same dimensions",
    ...unranked(shown),
    ...(hidden > 0 ? [`… ${hidden} more counties (gongfu explain --region <code>, or --json)`] : []),
  ];
}

const threshold = (s: RunSummary): number => Number(s.run.config["coverageThreshold"] ?? 0.5);

function unranked(shown: RunSummary["regions"]): string[] {
  return shown.filter((r) => r.rankNote !== null).map((r) => `  ${r.name} ${r.code}: ${r.rankNote!}`);
}

function disparityLine(d: DisparityRow): string {
  const target = d.target === null ? "" : ` (target ≤ ${d.target}: ${d.meets_target ? "met 达标" : "not met 未达标"})`;
  const weights = `${d.weighted ? "weighted" : "unweighted"}, ${d.units} units`;
  return `  ${d.scope} ${d.measure} = ${fixed(d.value)}${target} · ${weights}${d.note ? ` · ${d.note}` : ""}`;
}

function disparityLines(s: RunSummary): string[] {
  const totals = s.disparity.filter((d) => d.group_code === null);
  if (totals.length === 0) return ["disparity 差距: not enough regions with income data"];
  return ["disparity 差距:", ...totals.map(disparityLine)];
}

export function formatRunSummary(
  s: RunSummary,
  options: { status: string; ms: number | null; counties?: number },
): string {
  return [
    ...header(s, options.status, options.ms),
    ...derivedLines(s),
    "",
    ...regionTable(s, options.counties ?? 10),
    "",
    ...disparityLines(s),
    "",
  ].join("\n");
}
