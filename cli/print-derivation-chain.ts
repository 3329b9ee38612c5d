import type { DuckDBConnection } from "@duckdb/node-api";
import { derivationChain, type DerivationChain } from "../load/index.ts";
import { filterText } from "./derivation-text.ts";
import type { Catalog } from "../schemas/index.ts";
import type { RecordSetup } from "./record-feeds.ts";

/**
 * `gongfu explain --derivation`: for each derivation of the indicators asked (all when none), how the region's
 * cell of the period was made, from the observation down to the record files and a few pseudonymised keys.
 */
export async function formatDerivationChains(
  connection: DuckDBConnection,
  setup: RecordSetup,
  catalog: Catalog,
  query: { region: string; period: string; indicators: readonly string[] },
): Promise<string> {
  const chosen = setup.derivations.filter(
    (d) => query.indicators.length === 0 || query.indicators.includes(d.indicator),
  );
  if (chosen.length === 0)
    return `no derivation computes ${query.indicators.join(", ") || "any indicator"} (feeds/derivations/)\n`;
  const out: string[] = [];
  for (const d of chosen) {
    const feed = setup.specs.find((s) => s.id === d.records);
    if (!feed) continue;
    out.push(...chainLines(await derivationChain(connection, d, feed, query.region, query.period), catalog, query));
  }
  return `${out.join("\n")}\n`;
}

function chainLines(chain: DerivationChain, catalog: Catalog, q: { region: string; period: string }): string[] {
  const { derivation: d, feed, cell } = chain;
  const indicator = catalog.indicator(d.indicator);
  const region = catalog.region(q.region);
  const unit = indicator?.unit ?? "";
  const lines = [
    `${indicator?.nameZh ?? d.indicator} ${d.indicator} · ${region?.nameZh ?? q.region} ${q.region} · ${q.period}`,
    "  observations of the cell, newest vintage first:",
    ...(chain.observations.length === 0
      ? ["    none"]
      : chain.observations.map(
          (o) =>
            `    ${o.value.toFixed(2)} ${unit}  vintage ${o.vintage}  ${o.feed} ${o.uri} ${o.position}` +
            (o.newest ? "  ← used (obs_latest)" : ""),
        )),
    `  derivation ${d.id} (feeds/derivations/): records of ${feed.id}, latest version of each ${feed.records.key.join("+")} per period`,
    `    filters: ${d.filters.map(filterText).join(" AND ") || "none"}; levels: ${d.levels.join(", ")}; k = ${d.minRecords}`,
    `    measure: ${JSON.stringify(d.measure)}${d.scale === 1 ? "" : ` × ${d.scale}`}`,
  ];
  if (!cell)
    lines.push("  cell: not derived (no record of this region and period, or a level the derivation leaves out)");
  else
    lines.push(
      `  cell: ${
        cell.suppressed
          ? `suppressed (${cell.records} records < k = ${d.minRecords})`
          : `${cell.value?.toFixed(2)} ${unit} from ${cell.records.toLocaleString("en")} records`
      }, computed on snapshot ${cell.snapshot}, vintage ${cell.vintage}`,
    );
  lines.push("  records by source file:");
  for (const s of chain.sources)
    lines.push(
      `    ${s.uri} (sha256 ${s.checksum.slice(0, 12)}…, published ${s.vintage}): ` +
        `${s.records.toLocaleString("en")} records, lines ${s.firstLine}-${s.lastLine}`,
    );
  if (chain.sampleKeys.length > 0) lines.push(`  sample record keys: ${chain.sampleKeys.join(", ")}`);
  lines.push("");
  return lines;
}
