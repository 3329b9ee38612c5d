/**
 * v9: derived_cell.in_band, the records of a share-in-band cell that fall in the band. With it and `records` (the
 * records with a value), a count or a share is kept as whole numbers, so a pass adds what its records change to the
 * stored counts instead of recounting every record of the cell: a back-dated cancellation in a 10^7-entity registry
 * recounted every year-end stock of its county, city and province (7-9 s). Empty for other measures, and for cells
 * computed before this version: such a cell is recounted in full the next time it changes, which fills it.
 */
export const derivedCellCounts = {
  version: 9,
  name: "derived_cell.in_band: a share's records in the band, for counts kept up to date",
  sql: `
ALTER TABLE derived_cell ADD COLUMN in_band BIGINT;
COMMENT ON COLUMN derived_cell.in_band IS '区间内记录数（区间占比） / Records in the band, for a share in a band';
`,
};
