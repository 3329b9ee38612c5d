// One self-contained HTML file: inline CSS, inline SVG, one small inline script; nothing fetched from anywhere.
import type { ReportData } from "../read/report-data.ts";
import { settingsLine } from "../text/settings-line.ts";
import { bold, code, el, open } from "./markup.ts";
import { coverageSection, disparitySection, furthestSection } from "./report-tables.ts";
import { radarSection, rankingSection, summarySection, trendsSection } from "./report-sections.ts";
import { esc } from "./svg.ts";

// One string per line of the style sheet, each line's rules as separate strings.
const CSS = [
  [
    `body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;`,
    "margin:2rem auto;max-width:1100px;color:#222;line-height:1.45;padding:0 1rem}",
  ],
  [
    "h1{font-size:1.6rem;margin-bottom:.2rem}",
    "h2{border-bottom:2px solid #c0392b;padding-bottom:.2rem;margin-top:2.2rem}",
  ],
  [
    "table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}",
    "th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;vertical-align:middle}",
    "th{text-align:left;background:#fafafa}",
  ],
  [
    "td.na{color:#aaa;text-align:center}td.l{text-align:left}.heat td{text-align:center;min-width:3.2rem}",
    ".note{color:#666;font-size:.85rem}.empty{color:#999}",
  ],
  [
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(310px,1fr));gap:1rem}",
    "figure.trend{margin:0;border:1px solid #eee;padding:.4rem}figcaption{font-size:.85rem}",
  ],
  [
    "svg text{font-size:11px;fill:#333}svg text.tick{fill:#777;font-size:10px}",
    "svg text.axis{font-size:11px}svg text.unscored{fill:#aaa}",
  ],
  ["nav a{margin-right:1rem}code{background:#f4f4f4;padding:0 .2rem}"],
  [".heat th small.dim{display:block;max-width:6.5em;font-weight:normal;white-space:normal;line-height:1.2}"],
]
  .map((rules) => rules.join(""))
  .join("\n");

// Shows the chosen city's polygon next to the province's; without scripts the heat table still shows every city.
const SCRIPT = [
  `document.getElementById("radar-city")?.addEventListener("change",function(e){var v=e.target.value;`,
  `document.querySelectorAll("#radar g.series").forEach(function(g,i){`,
  `g.style.display=i===0||g.getAttribute("data-series")===v?"":"none"});});`,
].join("");

const NAV: readonly (readonly [string, string])[] = [
  ["radar", "维度 Dimensions"],
  ["ranking", "排序 Ranking"],
  ["trends", "趋势 Trends"],
  ["furthest", "差距 Furthest"],
  ["disparity", "差距指数 Disparity"],
  ["coverage", "覆盖 Coverage"],
];

const FOOTER =
  "Method: docs/METHOD.md (realisation degrees after the NBS xiaokang convention, entropy weights, TOPSIS, " +
  "Theil decomposition). Every number comes from the eval_* tables of the run above; " +
  "gongfu explain shows how each was made.";

function head(d: ReportData): string {
  return [
    open("head"),
    open("meta", { charset: "utf-8" }),
    open("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
    el("title", {}, `共同富裕示范区评价报告 Common prosperity evaluation ${esc(d.run.period)}`),
    el("style", {}, CSS),
    "</head>",
  ].join("\n");
}

function header(d: ReportData, generatedAt: string, chosenBy: string | undefined): string {
  const run =
    `统计期 Period ${bold(esc(d.run.period))} · run 运行 ${code(esc(d.run.runId))} as of 截至 ${esc(d.run.asOf)}` +
    ` · generated 生成于 ${esc(generatedAt)} by gongfu`;
  const settings = `设置 Settings: ${esc(settingsLine(d.run.config))}${chosenBy ? ` · chosen by ${esc(chosenBy)}` : ""}`;
  const nav = NAV.map(([id, label]) => el("a", { href: `#${id}` }, label)).join("");
  const title = "浙江共同富裕示范区评价报告 · Common Prosperity Demonstration Zone: evaluation report";
  return el(
    "header",
    {},
    el("h1", {}, title),
    "\n",
    el("p", {}, run),
    "\n",
    el("p", { class: "settings" }, settings),
    "\n",
    el("nav", {}, nav),
  );
}

export function reportHtml(d: ReportData, generatedAt: string, chosenBy?: string): string {
  const sections = [summarySection, radarSection, rankingSection, trendsSection, furthestSection, disparitySection];
  return [
    "<!DOCTYPE html>",
    open("html", { lang: "zh-CN" }),
    head(d),
    open("body"),
    header(d, generatedAt, chosenBy),
    open("main"),
    ...[...sections, coverageSection].map((s) => s(d)),
    "</main>",
    el("footer", { class: "note" }, el("p", {}, FOOTER)),
    el("script", {}, SCRIPT),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
