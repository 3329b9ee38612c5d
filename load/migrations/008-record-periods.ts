/**
 * v8: _record_period, whether each period of a record feed holds a record in more than one version (a key loaded
 * twice in the period). A derivation reads a period without revisions as it is and runs the latest-version window
 * only over the others, so each pass needs that status for the periods it touches. Checking it grouped every record
 * of those periods by key (0.25-0.3 s for one year of 10^7 households, for a late file of one record); kept here, a
 * pass checks only what its new records change: a period becomes revised when a new record shares a key with a
 * record of the period, and records are never taken out. Empty at first: a period without a row is checked in full
 * once.
 */
export const recordPeriods = {
  version: 8,
  name: "_record_period: which periods of a record feed hold revised records",
  sql:
    `
CREATE TABLE _record_period (
  feed VARCHAR NOT NULL, period VARCHAR NOT NULL, revised BOOLEAN NOT NULL,
  PRIMARY KEY (feed, period)
);
COMMENT ON TABLE _record_period IS '记录时期的修订状态（内部）：某时期是否有记录被后来版本修订 / ` +
    `Internal: whether a period of a record feed holds a record in more than one version';
COMMENT ON COLUMN _record_period.feed IS '数据接口 / Record feed id';
COMMENT ON COLUMN _record_period.period IS '记录所属时期 / Period of the records';
COMMENT ON COLUMN _record_period.revised IS '是否有同键多版本 / Whether a key has more than one version in the period';
`,
};
