/**
 * Evaluate: computes how far common prosperity is realised from the warehouse: realisation degrees against the
 * plan's targets, dimension and composite scores, rankings and disparity. The math is pure and exported.
 */
export * from "./math/index.ts";
export { realisationTable, type RealisationRow } from "./realisation-table.ts";
