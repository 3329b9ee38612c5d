import type { DuckDBConnection } from "@duckdb/node-api";
import { realisationDegree, type IndicatorOp } from "./math/index.ts";
import { WAREHOUSE } from "../schemas/index.ts";

export type RegionLevel = "province" | "prefecture" | "county";
const REGION_LEVELS: readonly RegionLevel[] = ["province", "prefecture", "county"];

export interface RealisationRow {
  regionCode: string;
  regionName: string;
  period: string;
  value: number;
  /** The indicator's unit code (dim_indicator.unit). */
  unit: string;
  target: number | null;
  op: string;
  realisation: number | null;
}

/**
 * The realisation degree of one indicator for every region and period in the warehouse (newest vintages,
 * or what was known at `asOf`), ordered by region then period.
 */
export async function realisationTable(
  connection: DuckDBConnection,
  indicator: string,
  asOf?: string,
  levels?: readonly RegionLevel[],
): Promise<RealisationRow[]> {
  const source = asOf ? `${WAREHOUSE.obsAsOf}($2)` : WAREHOUSE.obsLatest;
  // Levels are a closed set checked here, so they can be spelled into the SQL.
  const levelFilter =
    levels && levels.length > 0
      ? `AND r.level IN (${levels
          .filter((l) => REGION_LEVELS.includes(l))
          .map((l) => `'${l}'`)
          .join(", ")})`
      : "";
  const sql = `SELECT o.region_code, r.name_zh, o.period, o.value, i.unit, i.target_value, i.target_op
    FROM ${source} o JOIN ${WAREHOUSE.dimIndicator} i ON i.code = o.indicator_code JOIN ${WAREHOUSE.dimRegion} r ON r.code = o.region_code
    WHERE o.indicator_code = $1 ${levelFilter} ORDER BY o.region_code, o.period`;
  const rows = (await connection.runAndReadAll(sql, asOf ? [indicator, asOf] : [indicator])).getRowObjects();
  return rows.map((r) => {
    const value = Number(r["value"]);
    const target = r["target_value"] === null ? null : Number(r["target_value"]);
    const op = String(r["target_op"]);
    const degree = target === null ? null : realisationDegree({ value, target, op: op as IndicatorOp });
    return {
      regionCode: String(r["region_code"]),
      regionName: String(r["name_zh"]),
      period: String(r["period"]),
      value,
      unit: String(r["unit"]),
      target,
      op,
      realisation: degree && degree.score !== null ? degree.score : null,
    };
  });
}
