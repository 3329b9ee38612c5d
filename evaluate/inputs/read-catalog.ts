// Reads the catalog dimensions from the warehouse: evaluate trusts the warehouse, not the CSV files.
import type { DuckDBConnection } from "@duckdb/node-api";
import { DataError } from "../../runtime/errors.ts";
import { TARGET_OPS, TREND_OPS, type IndicatorOp } from "../math/index.ts";
import { canonicalJson, sha256 } from "../eval-config.ts";
import type { EvalCatalog, EvalDimension, EvalIndicator, EvalRegion, Frequency, RegionLevel } from "../model.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

const OPS: readonly string[] = [...TARGET_OPS, ...TREND_OPS];
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
}

function indicatorOf(r: Record<string, unknown>): EvalIndicator {
  const op = r["target_op"] === null ? null : String(r["target_op"]);
  if (op !== null && !OPS.includes(op))
    throw new DataError(`dim_indicator ${String(r["code"])}: unknown target_op ${op}`);
  return {
    code: String(r["code"]),
    nameZh: String(r["name_zh"]),
    nameEn: String(r["name_en"]),
    dimension: String(r["dimension_code"]),
    unit: String(r["unit"]),
    direction: r["direction"] === "lower" ? "lower" : "higher",
    op: op as IndicatorOp | null,
    target: num(r["target_value"]),
    baseline2020: num(r["baseline_2020"]),
    frequency: String(r["frequency"]) as Frequency,
    kind: r["kind"] === "target" ? "target" : "supporting",
  };
}

/** dim_indicator, dim_region and dim_dimension, ordered by code, with a hash of their content. */
export async function readCatalog(connection: DuckDBConnection): Promise<EvalCatalog> {
  const indicators = (
    await rows(
      connection,
      `SELECT code, name_zh, name_en, dimension_code, unit, direction, target_op, target_value, ` +
        `baseline_2020, frequency, kind FROM ${WAREHOUSE.dimIndicator} ORDER BY code`,
    )
  ).map(indicatorOf);
  const regions = (
    await rows(
      connection,
      `SELECT code, name_zh, level, parent_code, eco11, mountain26 FROM ${WAREHOUSE.dimRegion} ORDER BY code`,
    )
  ).map(
    (r): EvalRegion => ({
      code: String(r["code"]),
      nameZh: String(r["name_zh"]),
      level: String(r["level"]) as RegionLevel,
      parentCode: r["parent_code"] === null ? null : String(r["parent_code"]),
      eco11: r["eco11"] === true,
      mountain26: r["mountain26"] === true,
    }),
  );
  const dimensions = (
    await rows(connection, `SELECT code, name_zh, name_en FROM ${WAREHOUSE.dimDimension} ORDER BY code`)
  ).map(
    (r): EvalDimension => ({ code: String(r["code"]), nameZh: String(r["name_zh"]), nameEn: String(r["name_en"]) }),
  );
  if (indicators.length === 0 || regions.length === 0)
    throw new DataError(
      "the warehouse has no catalog (dim_indicator or dim_region is empty); run the loader once first",
    );
  return {
    indicators,
    regions,
    dimensions,
    hash: sha256(canonicalJson({ indicators, regions, dimensions })).slice(0, 16),
  };
}
