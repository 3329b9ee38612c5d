// Cross-region results of a run: disparity measures, TOPSIS rankings, their sensitivity and the weights used.
import { col, type TableDef } from "./table-def.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

const RUN = col("run_id", "VARCHAR", "运行编号 / Run id (eval_run.run_id)", true);
const SCOPE = col("scope", "VARCHAR", "比较范围 cities 设区市 / counties 县（市、区）", true);

export const EVAL_DISPARITY: TableDef = {
  name: WAREHOUSE.evalDisparity,
  comment:
    "地区差距：设区市收入极值比（目标≤1.55）、城乡收入比、变异系数、基尼系数、泰尔指数及分解 / Disparity measures",
  columns: [
    RUN,
    col(
      "measure",
      "VARCHAR",
      "指标 max_min_ratio / urban_rural_ratio / cv / gini / theil_t / theil_between / theil_within",
      true,
    ),
    SCOPE,
    col(
      "group_code",
      "VARCHAR",
      "分组（泰尔分解中的设区市） / Group (city) for Theil contributions; null for the total",
    ),
    col("value", "DOUBLE", "数值 / Value", true),
    col("target", "DOUBLE", "目标值 / Target, where the plan sets one"),
    col("meets_target", "BOOLEAN", "是否达到目标 / Meets the target"),
    col("weighted", "BOOLEAN", "是否按人口加权 / Weighted by resident population", true),
    col("units", "INTEGER", "参与计算的地区数 / Units in the measure", true),
    col("note", "VARCHAR", "说明 / Note"),
  ],
};

export const EVAL_RANKING: TableDef = {
  name: WAREHOUSE.evalRanking,
  comment: "TOPSIS排序（熵权）：贴近度与名次 / TOPSIS ranking with entropy weights",
  primaryKey: ["run_id", "scope", "region_code"],
  columns: [
    RUN,
    SCOPE,
    col("region_code", "VARCHAR", "地区代码 / Region code", true),
    col("closeness", "DOUBLE", "贴近度 / Closeness D-/(D+ + D-)"),
    col("d_plus", "DOUBLE", "到正理想解距离 / Distance to the ideal"),
    col("d_minus", "DOUBLE", "到负理想解距离 / Distance to the anti-ideal"),
    col("rank", "INTEGER", "名次 / Rank (1 = best)"),
    col("included", "BOOLEAN", "是否参与排序 / Ranked (false when an indicator is missing)", true),
    col("note", "VARCHAR", "未参与原因 / Why not ranked"),
  ],
};

export const EVAL_SENSITIVITY: TableDef = {
  name: WAREHOUSE.evalSensitivity,
  comment: "排序敏感性：权重蒙特卡洛扰动下的中位名次与5%-95%区间，及两种实现度方法下的综合排名 / Rank sensitivity",
  primaryKey: ["run_id", "scope", "region_code"],
  columns: [
    RUN,
    SCOPE,
    col("region_code", "VARCHAR", "地区代码 / Region code", true),
    col("base_rank", "DOUBLE", "基准名次 / Rank with the base weights"),
    col("median_rank", "DOUBLE", "中位名次 / Median rank over the draws"),
    col("p05", "DOUBLE", "5%分位名次 / 5th percentile of the rank"),
    col("p95", "DOUBLE", "95%分位名次 / 95th percentile of the rank"),
    col("draws", "INTEGER", "抽样次数 / Monte Carlo draws", true),
    col("seed", "BIGINT", "随机种子 / Seed", true),
    col("perturbation", "DOUBLE", "权重扰动幅度 / Weight perturbation (±share)", true),
    col("composite_rank_ratio", "INTEGER", "比值法综合排名 / Composite rank with the ratio method"),
    col("composite_rank_progress", "INTEGER", "进度法综合排名 / Composite rank with the progress method"),
    col(
      "topsis_rank_other_outliers",
      "INTEGER",
      "另一种异常值处理下的TOPSIS名次（缩尾与否） / TOPSIS rank under the other outlier setting (winsorised or raw)",
    ),
  ],
};

export const EVAL_WEIGHT: TableDef = {
  name: WAREHOUSE.evalWeight,
  comment: "本次运行使用的指标权重（含熵值与差异系数） / Indicator weights used by the run",
  primaryKey: ["run_id", "scope", "indicator_code"],
  columns: [
    RUN,
    col("scope", "VARCHAR", "用途 composite 综合指数 / cities / counties 排序", true),
    col("indicator_code", "VARCHAR", "指标代码 / Indicator code", true),
    col("dimension_code", "VARCHAR", "维度代码 / Dimension code", true),
    col("weight", "DOUBLE", "权重 / Weight", true),
    col("entropy", "DOUBLE", "熵值 e_j / Entropy"),
    col("divergence", "DOUBLE", "差异系数 1-e_j / Divergence"),
    col("source", "VARCHAR", "来源 equal / entropy / entropy_mean / config", true),
  ],
};
