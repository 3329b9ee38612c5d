// Table cells that carry a score: a heat colour from red (0) to green (1), or why there is no score.
import type { ReportData } from "../read/report-data.ts";
import { el, note, td } from "./markup.ts";
import { esc, pct } from "./svg.ts";

type Region = ReportData["regions"][number];

export function cell(x: number | null): string {
  if (x === null) return td("—", { class: "na" });
  const hue = Math.round(120 * Math.max(0, Math.min(1, x)));
  return td(pct(x, 0), { style: `background:hsl(${hue},55%,80%)` });
}

/** A dimension's cell: its score, or why it has none (below the coverage threshold: not scored, shown as —*). */
export function dimensionCell(r: Region, code: string): string {
  const x = r.dimensions[code];
  if (x?.reason === "below_coverage")
    return td("—*", { class: "na excluded", title: `not scored: ${pct(x.weightCoverage, 0)} of the weight has data` });
  return cell(x?.scored ? (x.score ?? null) : null);
}

function exclusion(r: Region): string {
  const parts = r.dimensionsExcluded.map((code) => {
    const x = r.dimensions[code];
    const weight = `${pct(x?.weightCoverage ?? 0, 0)} of the weight has data`;
    return `${esc(code)} (${weight}; the indicators present give ${pct(x?.rawScore ?? null)})`;
  });
  return el("li", {}, `${esc(r.name)} ${esc(r.code)}: ${parts.join("; ")}${r.rankNote ? ` — ${esc(r.rankNote)}` : ""}`);
}

/** One line per region whose composite leaves out a dimension for low coverage. */
export function exclusionList(regions: readonly Region[], threshold: number): string {
  const items = regions
    .filter((r) => r.dimensionsExcluded.length > 0)
    .map(exclusion)
    .join("");
  const rule =
    `A dimension with less than ${pct(threshold, 0)} of its indicators' weight scored is not scored 覆盖率不足不计分, ` +
    "and the composite uses only the scored dimensions; " +
    "regions are ranked only among regions scored on the same dimensions.";
  return items === ""
    ? note(`${rule} No dimension was left out.`)
    : note(rule) + el("h3", {}, "left out for low coverage 覆盖率不足未计入") + el("ul", { class: "excluded" }, items);
}
