// eval_run: one row per evaluation run, keyed by the hash of period, as-of, configuration and catalog.
import { col, type TableDef } from "./table-def.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

export const EVAL_RUN: TableDef = {
  name: WAREHOUSE.evalRun,
  comment:
    "评价运行记录：统计期、截至时点、配置哈希、输入行数、状态与耗时 / Evaluation runs: period, as-of, config hash, inputs, status, timings",
  primaryKey: ["run_id"],
  columns: [
    col(
      "run_id",
      "VARCHAR",
      "运行编号（统计期、截至时点、配置与目录的哈希） / Run id: hash of period, as-of, config and catalog",
      true,
    ),
    col("period", "VARCHAR", "评价统计期 2025 / 2025Q3 / 2025-09 / Evaluated period", true),
    col(
      "as_of",
      "TIMESTAMPTZ",
      "数据截至时点（只用此前发布的版本） / Only vintages published by this instant are used",
      true,
    ),
    col(
      "as_of_source",
      "VARCHAR",
      "截至时点来源：given 指定 / latest_vintage 最新版本 / schedule 调度时点 / Where the as-of came from",
      true,
    ),
    col("config_hash", "VARCHAR", "配置哈希 / Hash of the effective configuration", true),
    col("catalog_hash", "VARCHAR", "指标与地区目录哈希 / Hash of dim_indicator, dim_region and dim_dimension", true),
    col("evaluator_version", "VARCHAR", "评价方法版本 / Version of the evaluation method", true),
    col("config", "JSON", "生效配置 / The effective configuration", true),
    col("trigger", "VARCHAR", "触发方式：manual 手动 / schedule 定时 / catch_up 补算 / How the run was started", true),
    col("input_row_count", "BIGINT", "读取的观测行数 / Observation rows read from obs_as_of"),
    col("inputs_fingerprint", "VARCHAR", "输入指纹（行数与哈希） / Fingerprint of the rows read: count and hash"),
    col("regions", "INTEGER", "参评地区数 / Regions evaluated"),
    col(
      "derived",
      "JSON",
      "推算指标（由市、县数据计算）及其依据 / Indicators derived from city or county values, and how",
    ),
    col("status", "VARCHAR", "状态：running / succeeded / failed", true),
    col("attempts", "INTEGER", "尝试次数 / Attempts so far", true),
    col("error", "VARCHAR", "失败原因 / Why the run failed"),
    col("started_at", "TIMESTAMPTZ", "开始时间 / Started at", true),
    col("finished_at", "TIMESTAMPTZ", "结束时间 / Finished at"),
    col("timings", "JSON", "各步骤耗时（毫秒） / Milliseconds per step"),
  ],
};
