/** v1: the star schema, quarantine and the loader's stored Kafka positions. Comments are in Chinese and English for BI users. */
export const starSchema = {
  version: 1,
  name: "star schema, quarantine, kafka offsets",
  sql:
    `
CREATE TABLE dim_dimension (
  code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, seed_section VARCHAR
);
COMMENT ON TABLE dim_dimension IS '评价维度（方案第一部分七个方面） / The seven evaluation dimensions of part 一 of the plan';

CREATE TABLE dim_indicator (
  code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, dimension_code VARCHAR NOT NULL,
  unit VARCHAR NOT NULL, direction VARCHAR NOT NULL, target_op VARCHAR, target_value DOUBLE, target_year INTEGER,
  seed_section VARCHAR, note VARCHAR, kind VARCHAR NOT NULL, frequency VARCHAR NOT NULL, baseline_2020 DOUBLE
);
COMMENT ON TABLE dim_indicator IS '指标目录：方案2025年目标及支撑指标 / Indicator catalog: the plan''s 2025 targets and supporting series';
COMMENT ON COLUMN dim_indicator.code IS '指标代码 / Indicator code';
COMMENT ON COLUMN dim_indicator.name_zh IS '指标名称（中文） / Chinese name';
COMMENT ON COLUMN dim_indicator.unit IS '计量单位（观测值均已换算为此单位） / Unit; every observation is converted to it';
COMMENT ON COLUMN dim_indicator.direction IS '指标方向：higher 正向 / lower 逆向 / Direction: higher or lower is better';
COMMENT ON COLUMN dim_indicator.target_op IS '目标比较方式 >=, >, <=, <, trend_up, trend_down / How the target is compared';
COMMENT ON COLUMN dim_indicator.target_value IS '2025年目标值 / Target value for 2025';
COMMENT ON COLUMN dim_indicator.baseline_2020 IS '2020年基期值 / Baseline value in 2020, where known';

CREATE TABLE dim_region (
  code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_short VARCHAR, pinyin VARCHAR, level VARCHAR NOT NULL,
  parent_code VARCHAR, county_type VARCHAR, mountain26 BOOLEAN NOT NULL, eco11 BOOLEAN NOT NULL
);
COMMENT ON TABLE dim_region IS '行政区划：全省、11个设区市、90个县（市、区），GB/T 2260代码 / Regions: province, 11 cities, 90 county-level units (GB/T 2260)';
COMMENT ON COLUMN dim_region.mountain26 IS '是否山区26县 / One of the 26 mountain counties';
COMMENT ON COLUMN dim_region.eco11 IS '是否11个生态功能重点县 / One of the 11 key ecological-function counties';

CREATE TABLE dim_period (
  period VARCHAR PRIMARY KEY, frequency VARCHAR NOT NULL, year INTEGER NOT NULL, quarter INTEGER, month INTEGER,
  start_date DATE NOT NULL, end_date DATE NOT NULL
);
COMMENT ON TABLE dim_period IS '统计期：年、季、月（2015-2035） / Periods: years, quarters, months (2015-2035)';

CREATE TABLE fact_observation (
  obs_key UHUGEINT PRIMARY KEY,
  indicator_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
  value DOUBLE NOT NULL, unit VARCHAR NOT NULL, vintage TIMESTAMPTZ NOT NULL,
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_position VARCHAR NOT NULL,
  source_line INTEGER, source_sheet VARCHAR, source_row INTEGER, source_column VARCHAR,
  kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT,
  ingested_at TIMESTAMPTZ NOT NULL, loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE fact_observation IS '观测值事实表（只追加，保留每个版本） / Observations, append-only: every vintage of every cell';
COMMENT ON COLUMN fact_observation.obs_key IS '去重键：指标、地区、时期、版本与来源位置的哈希 / Dedup key over ` +
    `indicator, region, period, vintage and source position';
COMMENT ON COLUMN fact_observation.indicator_code IS '指标代码 / Indicator code (dim_indicator.code)';
COMMENT ON COLUMN fact_observation.region_code IS '地区代码 / Region code (dim_region.code)';
COMMENT ON COLUMN fact_observation.period IS '统计期 2025 / 2025Q3 / 2025-09 / Period';
COMMENT ON COLUMN fact_observation.value IS '数值（指标目录单位） / Value in the catalog unit of the indicator';
COMMENT ON COLUMN fact_observation.vintage IS '发布时间（版本） / When the source published this value';
COMMENT ON COLUMN fact_observation.source_feed IS '来源数据接口 / Feed id';
COMMENT ON COLUMN fact_observation.source_uri IS '来源文件或网址 / Source file or URL';
COMMENT ON COLUMN fact_observation.source_position IS '来源位置（行、工作表、列） / Position in the source';
COMMENT ON COLUMN fact_observation.ingested_at IS '进入管道时间 / When the pipeline normalised it';

CREATE TABLE quarantine (
  dl_key UHUGEINT PRIMARY KEY,
  stage VARCHAR NOT NULL, feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_position VARCHAR NOT NULL,
  reason_codes VARCHAR NOT NULL, reasons JSON NOT NULL, payload JSON, failed_at TIMESTAMPTZ NOT NULL,
  kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT,
  loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, resolved_at TIMESTAMPTZ
);
COMMENT ON TABLE quarantine IS '隔离区：未通过校验的记录及原因 / Dead letters: records that failed, with every reason, for data stewards';
COMMENT ON COLUMN quarantine.reasons IS '原因（路径、代码、说明、候选） / Reasons: path, code, message, candidates';
COMMENT ON COLUMN quarantine.resolved_at IS '重新处理后标记 / Set when the record was replayed after a fix';

CREATE TABLE _kafka_offsets (
  consumer_group VARCHAR NOT NULL, topic VARCHAR NOT NULL, partition INTEGER NOT NULL, next_offset BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (consumer_group, topic, partition)
);
COMMENT ON TABLE _kafka_offsets IS '加载器消费位置（与数据同一事务提交） / The loader''s Kafka positions, committed with the rows';
`,
} as const;
