/**
 * v7: _source_lines, the range of source lines loaded per feed and source. A merge whose staged lines for every
 * source lie outside what that source has loaded cannot hold a key already in the warehouse (the key includes the
 * feed, the source and the position), so it skips the lookup of present keys: the lookup scanned every fact of
 * those lines however many files shared them, so it grew with the warehouse. Overlaps (a re-delivery, a file sent
 * again under the same name) are checked as before. Filled from the facts already loaded.
 */
export const sourceLines = {
  version: 7,
  name: "_source_lines: loaded line ranges per source",
  sql:
    `
CREATE TABLE _source_lines (
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL,
  min_line INTEGER NOT NULL, max_line INTEGER NOT NULL,
  PRIMARY KEY (source_feed, source_uri)
);
COMMENT ON TABLE _source_lines IS '已载入行号范围（内部）：每个来源已载入观测值的行号范围，决定合并时是否需查重 / ` +
    `Internal: the range of lines loaded per feed and source, which tells a merge whether it must look up present keys';
COMMENT ON COLUMN _source_lines.source_feed IS '来源数据接口 / Feed id';
COMMENT ON COLUMN _source_lines.source_uri IS '来源文件或网址 / Source file or URL';
COMMENT ON COLUMN _source_lines.min_line IS '已载入的最小行号 / Lowest line loaded';
COMMENT ON COLUMN _source_lines.max_line IS '已载入的最大行号 / Highest line loaded';
INSERT INTO _source_lines
SELECT source_feed, source_uri, min(source_line), max(source_line)
FROM fact_observation WHERE source_line IS NOT NULL GROUP BY source_feed, source_uri;
`,
};
