import type { StatusReport } from "./status/collect-status.ts";
import type { FeedStatus } from "./status/feed-status.ts";
import type { RecordFeedStatus } from "./status/record-feed-status.ts";
import { escapeControls } from "../runtime/terminal-text.ts";

/** Data shown in the report (file names, messages) cannot move the cursor, set the title or start a line. */
const safe = (text: string) => escapeControls(text);

const RED = "\x1b[31m";
const YELLOW = "\x1b[33m";
const RESET = "\x1b[0m";

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")}Z` : "—");
const num = (n: number) => n.toLocaleString("en-US");

function table(header: string[], rows: string[][], rightFrom: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i >= rightFrom && i < cols.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

function freshness(f: FeedStatus): string {
  if (f.freshness === "never") return "never received";
  if (f.freshness === "fresh") return `fresh (next by ${f.dueBy?.slice(0, 10)})`;
  const why = f.lateBecause.map((b) =>
    b === "arrival"
      ? `due by ${f.dueBy?.slice(0, 10)}`
      : `data: latest period ${safe(f.latestPeriod ?? "")}, the next was due by ${f.dataDueBy?.slice(0, 10)}`,
  );
  return `LATE (${why.join("; ")})`;
}

/** One line per feed whose rows in and observations loaded differ, saying where the difference went. */
function rowsExplained(feeds: FeedStatus[]): string[] {
  const lines: string[] = [];
  for (const f of feeds) {
    const r = f.rows;
    if (r.rowsIn === 0 || r.cells === r.loaded) continue;
    const parts = [
      r.observationsPerRow > 1
        ? `${num(r.rowsIn)} rows × ${r.observationsPerRow} indicator columns = ${num(r.cells)} cells`
        : `${num(r.rowsIn)} rows`,
      `${num(r.loaded)} observations loaded`,
    ];
    if (r.deadLettersTransform > 0) parts.push(`${num(r.deadLettersTransform)} dead letters at transform`);
    if (r.missingCells > 0) parts.push(`${num(r.missingCells)} cells sent without a value (table missing_cell)`);
    // What is left: cells a wide row did not carry at all, and observations delivered again (loaded once).
    const rest = r.missingOrRepeated - r.missingCells;
    if (rest > 0) parts.push(`${num(rest)} cells absent from their rows or observations delivered again`);
    if (f.rejectedAtIngest > 0) parts.push(`and ${num(f.rejectedAtIngest)} rows rejected at ingest, not counted in`);
    lines.push(`  ${safe(f.feed)}: ${parts.join("; ")}`);
  }
  return lines.length === 0
    ? []
    : [
        "",
        "Rows in vs loaded (a wide row gives one observation per column; a missing cell none; a re-delivery is loaded once)",
        ...lines,
      ];
}

function inZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** Record feeds: files and records in; what the warehouse loaded, and the cells derived (suppressed: fewer than k). */
function recordFeedLines(feeds: RecordFeedStatus[]): string[] {
  if (feeds.length === 0) return [];
  const opt = (n: number | null) => (n === null ? "?" : num(n));
  const age = (f: RecordFeedStatus) =>
    f.freshness === "never"
      ? "never received"
      : `${f.freshness === "late" ? "LATE" : f.freshness}, ${f.ageDays} d ago; latest period ${safe(f.latestPeriod ?? "—")}`;
  return [
    "",
    "Record feeds (records in → loaded → derived cells; suppressed = built from fewer than k records, no value)",
    ...table(
      ["feed", "last received", "file", "files", "records in", "rejected", "loaded", "cells", "suppressed", "data age"],
      feeds.map((f) => [
        safe(f.feed),
        when(f.lastReceived?.at ?? null),
        safe(f.lastReceived?.uri ?? "—"),
        num(f.filesReceived),
        num(f.recordsIngested),
        num(f.rejectedAtIngest),
        opt(f.recordsLoaded),
        opt(f.derivedCells),
        opt(f.suppressedCells),
        age(f),
      ]),
      3,
    ),
    ...(feeds.some((f) => f.recordsLoaded === null)
      ? ["(? = the warehouse could not be read: record counts are kept there only, not in the lake)"]
      : []),
  ];
}

/** The status for people; late feeds in red only when `color` (a TTY). */
export function formatStatus(report: StatusReport, color: boolean): string {
  const paint = (text: string, c: string) => (color ? `${c}${text}${RESET}` : text);
  const out: string[] = [`gongfu status · ${when(report.generatedAt)}`, ""];
  out.push("Feeds (rows in = records ingested; out = observations loaded; dead letters quarantined / waiting)");
  const rows = report.feeds.map((f) => [
    safe(f.feed),
    f.frequency,
    when(f.lastReceived?.at ?? null),
    safe(f.lastReceived?.uri ?? "—"),
    num(f.recordsIngested),
    num(f.observationsLoaded),
    num(f.rejectedAtIngest),
    num(f.quarantined),
    num(f.deadLettersWaiting),
    freshness(f),
  ]);
  const lines = table(
    [
      "feed",
      "frequency",
      "last received",
      "file",
      "rows in",
      "loaded",
      "rejected@ingest",
      "quarantined",
      "waiting",
      "freshness",
    ],
    rows,
    4,
  );
  lines.forEach((l, i) => {
    const f = report.feeds[i - 2];
    out.push(f?.freshness === "late" ? paint(l, RED) : f?.freshness === "never" ? paint(l, YELLOW) : l);
  });
  if (report.feeds.length === 0) out.push("(no feed specs)");
  out.push(...rowsExplained(report.feeds));
  out.push(...recordFeedLines(report.recordFeeds));
  const dl = report.deadLettersWaiting;
  out.push(
    "",
    `Dead letters waiting: ${num(dl.total)}${
      dl.total > 0
        ? ` (${Object.entries(dl.byStage)
            .filter(([, n]) => n > 0)
            .sort(([a, n], [b, m]) => m - n || a.localeCompare(b))
            .map(([s, n]) => `${s} ${n}`)
            .join(", ")}) — fix the spec or catalog, then gongfu replay --feed <id>`
        : ""
    }`,
  );
  const w = report.warehouse;
  out.push(
    "",
    `Warehouse: ${safe(w.path)} (${w.state}` +
      `${w.countsFrom ? `; counts from ${safe(w.countsFrom)}, the lake the loader publishes` : w.message ? `: ${safe(w.message)}` : ""})`,
  );
  const g = report.consumerGroups;
  if (g.checked) {
    out.push("", "Consumer groups (lag = messages not yet consumed)");
    if (g.error) out.push(paint(safe(g.error), RED));
    else if (g.lags.length === 0) out.push("(no consumer group of this prefix has committed yet)");
    else
      out.push(
        ...table(
          ["group", "topic", "lag", "partitions"],
          g.lags.map((l) => [safe(l.group), safe(l.topic), num(l.lag), String(l.partitions.length)]),
          2,
        ),
      );
  } else out.push("", "Consumer groups: not checked (embedded mode; add --kafka to see the lag per topic)");
  const e = report.evaluation;
  const run = e.lastRun
    ? `${e.lastRun.period} ${e.lastRun.status} at ${when(e.lastRun.finishedAt ?? e.lastRun.startedAt)}` +
      `${e.lastRun.error ? ` (${safe(e.lastRun.error)})` : ""}`
    : (e.note ?? "none");
  out.push(
    "",
    `Evaluation: last run ${run}; last success ` +
      `${e.lastSucceeded ? `${e.lastSucceeded.period} at ${when(e.lastSucceeded.finishedAt)}` : "none"}`,
  );
  out.push(
    `            next run ${e.nextRun ? `${inZone(e.nextRun, e.schedule.timezone)} ${e.schedule.timezone}` : "—"} ` +
      `(cron "${e.schedule.cron}")`,
    "",
  );
  return out.join("\n");
}
