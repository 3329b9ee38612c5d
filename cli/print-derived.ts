import type { DuckDBConnection } from "@duckdb/node-api";
import type { Catalog } from "../schemas/index.ts";

/**
 * A few lines after the realisation table: the province's newest value of each derived indicator, with the records
 * it was built from and the explain command that shows the chain. Empty when nothing is derived.
 */
export async function formatDerivedSummary(connection: DuckDBConnection, catalog: Catalog): Promise<string> {
  const rows = (
    await connection.runAndReadAll(`SELECT derivation, indicator_code, region_code, period, value, records, suppressed
FROM derived_cell c
WHERE region_code = (SELECT code FROM dim_region WHERE level = 'province')
QUALIFY row_number() OVER (PARTITION BY derivation ORDER BY period DESC) = 1
ORDER BY indicator_code`)
  ).getRowObjects();
  if (rows.length === 0) return "";
  const lines = ["", "派生指标 derived from records (province, newest period):"];
  for (const r of rows) {
    const code = String(r["indicator_code"]);
    const indicator = catalog.indicator(code);
    const value = r["suppressed"]
      ? "suppressed (too few records)"
      : `${Number(r["value"]).toFixed(1)} ${indicator?.unit ?? ""}`;
    lines.push(
      `  ${indicator?.nameZh ?? code} ${code} ${String(r["period"])}: ${value} from ` +
        `${Number(r["records"]).toLocaleString("en")} records (derivation ${String(r["derivation"])})`,
    );
  }
  const first = rows[0]!;
  lines.push(
    `  how: gongfu explain --derivation --indicator ${String(first["indicator_code"])} ` +
      `--region ${String(first["region_code"])} --period ${String(first["period"])}`,
    "",
  );
  return lines.join("\n");
}
