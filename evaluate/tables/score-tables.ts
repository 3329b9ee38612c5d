// Per-region results of a run: indicator scores, the observations used, dimension scores and composites.
import { col, type TableDef } from "./table-def.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

const RUN = col("run_id", "VARCHAR", "运行编号 / Run id (eval_run.run_id)", true);
const REGION = col("region_code", "VARCHAR", "地区代码 / Region code (dim_region.code)", true);

export const EVAL_INDICATOR_SCORE: TableDef = {
  name: WAREHOUSE.evalIndicatorScore,
  comment: "指标实现度：取值、所用统计期、是否沿用、目标、实现度、权重与贡献 / Indicator realisation per region",
  primaryKey: ["run_id", "region_code", "indicator_code"],
  columns: [
    RUN,
    REGION,
    col("indicator_code", "VARCHAR", "指标代码 / Indicator code", true),
    col("dimension_code", "VARCHAR", "维度代码 / Dimension code", true),
    col("value", "DOUBLE", "所用数值（缺失为空） / Value used; null when missing"),
    col("period_used", "VARCHAR", "所用数值的统计期 / Period of the value used"),
    col("vintage", "TIMESTAMPTZ", "所用数值的发布时间 / Vintage of the value used"),
    col("carried_forward", "BOOLEAN", "是否沿用上期数据 / Carried forward from an earlier period"),
    col("age_months", "INTEGER", "数据距评价期的月数 / Months between the value's period and the evaluated period"),
    col("derived", "BOOLEAN", "是否由下级地区数据推算 / Derived from other regions' or indicators' values", true),
    col("target_op", "VARCHAR", "目标比较方式 / Target comparison"),
    col("target", "DOUBLE", "2025年目标值 / 2025 target"),
    col("band_lower", "DOUBLE", "区间目标下限（部门设定） / Lower end of an interval target (evaluate.bands)"),
    col("band_upper", "DOUBLE", "区间目标上限（部门设定） / Upper end of an interval target (evaluate.bands)"),
    col(
      "imputation",
      "VARCHAR",
      "取值方式 observed 当期 / carry_forward 沿用 / linear 线性插补 / How the value was obtained for the period",
    ),
    col("baseline", "DOUBLE", "2020年基期值 / 2020 baseline"),
    col("previous", "DOUBLE", "上一可比期数值（趋势指标） / Previous comparable value (trend indicators)"),
    col("realisation", "DOUBLE", "实现度 0-1 / Realisation degree in [0, 1]"),
    col("method", "VARCHAR", "计算方法：ratio / progress / ratio_fallback / trend / band"),
    col("null_reason", "VARCHAR", "无实现度的原因 / Why there is no realisation degree"),
    col("on_track", "BOOLEAN", "是否达到2020至2025直线路径 / At or beyond the straight 2020-2025 path"),
    col("path_value", "DOUBLE", "直线路径在该期的数值 / Value of the straight path for the period used"),
    col("weight", "DOUBLE", "维度内原始权重 / Raw weight inside the dimension", true),
    col("weight_source", "VARCHAR", "权重来源 equal / entropy / config / entropy_mean", true),
    col(
      "weight_in_dimension",
      "DOUBLE",
      "有数据指标中的归一化权重 / Weight normalised over the indicators with a score",
    ),
    col(
      "contribution",
      "DOUBLE",
      "对综合指数的贡献（算术：加项；几何：乘数） / Contribution to the composite: a term (arithmetic) or a factor (geometric)",
    ),
  ],
};

export const EVAL_OBSERVATION_USED: TableDef = {
  name: WAREHOUSE.evalObservationUsed,
  comment: "评价所用观测值：取值、上期值、基期值与推算依据 / Observations behind each indicator score",
  columns: [
    RUN,
    REGION,
    col("indicator_code", "VARCHAR", "被评价的指标 / Indicator scored", true),
    col("role", "VARCHAR", "用途：value 取值 / previous 上期 / baseline 基期 / input 推算依据", true),
    col("source_region", "VARCHAR", "观测值所属地区 / Region of the observation", true),
    col("source_indicator", "VARCHAR", "观测值所属指标 / Indicator of the observation", true),
    col("period", "VARCHAR", "观测统计期 / Period", true),
    col("value", "DOUBLE", "观测值 / Value", true),
    col("vintage", "TIMESTAMPTZ", "发布时间 / Vintage"),
    col(
      "obs_key",
      "UHUGEINT",
      "fact_observation.obs_key（来自目录的基期值为空） / Key in fact_observation; null for catalog baselines",
    ),
  ],
};

export const EVAL_DIMENSION_SCORE: TableDef = {
  name: WAREHOUSE.evalDimensionScore,
  comment:
    "维度得分与数据覆盖率；D1无量化目标，覆盖率为0，不计分 / Dimension scores and coverage; D1 has no quantitative target",
  primaryKey: ["run_id", "region_code", "dimension_code"],
  columns: [
    RUN,
    REGION,
    col("dimension_code", "VARCHAR", "维度代码 / Dimension code", true),
    col("score", "DOUBLE", "维度得分（未计分为空） / Score; null when not scored"),
    col("coverage", "DOUBLE", "有数据指标占比 / Share of the dimension's indicators with a score", true),
    col("indicators", "INTEGER", "维度指标数 / Indicators in the dimension", true),
    col("present", "INTEGER", "有实现度的指标数 / Indicators with a score", true),
    col("flagged", "BOOLEAN", "权重覆盖率低于阈值（不计分） / Weight coverage below the threshold: not scored", true),
    col("scored", "BOOLEAN", "是否计分 / Scored and counted in the composite", true),
    col("weight", "DOUBLE", "维度权重 / Dimension weight", true),
    col("contribution", "DOUBLE", "对综合指数的贡献 / Contribution to the composite"),
    col(
      "weight_coverage",
      "DOUBLE",
      "有实现度指标的权重占比（计分门槛所依据） / Share of the dimension's indicator weight with a score; the threshold applies to it",
    ),
    col(
      "raw_score",
      "DOUBLE",
      "按现有指标计算的得分（未考虑覆盖率门槛） / Mean over the indicators present, before the coverage rule",
    ),
    col(
      "not_scored_reason",
      "VARCHAR",
      "未计分原因 no_indicators 无指标 / no_scores 无数据 / below_coverage 覆盖率不足 / Why not scored",
    ),
  ],
};

export const EVAL_COMPOSITE: TableDef = {
  name: WAREHOUSE.evalComposite,
  comment: "综合指数（共同富裕实现度） / Composite index per region",
  primaryKey: ["run_id", "region_code"],
  columns: [
    RUN,
    REGION,
    col("region_level", "VARCHAR", "地区层级 province / prefecture / county", true),
    col("parent_code", "VARCHAR", "上级地区 / Parent region"),
    col("score", "DOUBLE", "综合得分 / Composite score"),
    col("coverage", "DOUBLE", "计分维度占比（7个维度） / Scored dimensions out of seven", true),
    col("dimensions_scored", "INTEGER", "计分维度数 / Dimensions scored", true),
    col("dimensions_flagged", "INTEGER", "覆盖率不足（未计分）维度数 / Dimensions below the coverage threshold", true),
    col("indicators_scored", "INTEGER", "有实现度的指标数 / Indicators with a score", true),
    col("aggregation", "VARCHAR", "汇总方法 arithmetic / geometric", true),
    col(
      "rank_in_level",
      "INTEGER",
      "同级排名（仅与计分维度相同的地区比较） / Rank among regions of the level scored on the same dimensions",
    ),
    col("dimensions_used", "VARCHAR", "综合指数所含维度 / Dimensions the composite is made of, e.g. D2,D3,D4"),
    col(
      "dimensions_excluded",
      "VARCHAR",
      "因覆盖率不足未计入的维度 / Dimensions left out for coverage below the threshold",
    ),
    col("comparable", "BOOLEAN", "是否参与同级排名 / Ranked: its dimensions are the level's compared set"),
    col("rank_note", "VARCHAR", "未参与排名的原因 / Why the region is not ranked"),
  ],
};
