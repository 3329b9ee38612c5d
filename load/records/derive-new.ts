import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Derivation, RecordFeedSpec } from "../../schemas/index.ts";
import { deriveCells, markAllCells } from "./derive-cells.ts";
import { literal } from "./record-table.ts";
import { addDerived, scalar, type RecordLoadStats } from "./record-load-stats.ts";

/**
 * A derivation new, or changed since its cells were computed (its definition's hash differs from the stored one), is
 * computed over every cell once: its old cell states are dropped, and every cell's value becomes a new observation,
 * since the method changed. The hash is stored in the same transaction.
 */
export async function deriveNew(
  connection: DuckDBConnection,
  options: { specs: readonly RecordFeedSpec[]; derivations: readonly Derivation[] },
  stats: RecordLoadStats,
): Promise<void> {
  for (const d of options.derivations) {
    const spec = options.specs.find((s) => s.id === d.records);
    if (!spec) continue;
    const hash = createHash("sha256").update(JSON.stringify(d)).digest("hex");
    const [stored] = (
      await connection.runAndReadAll("SELECT definition FROM _derivation WHERE derivation = $1", [d.id])
    ).getRows();
    if (stored?.[0] === hash) continue;
    const snapshot = await scalar(
      connection,
      `SELECT coalesce(max(snapshot), 0) FROM _record_derived WHERE feed = ${literal(spec.id)}`,
    );
    await connection.run("BEGIN TRANSACTION");
    try {
      await connection.run("DELETE FROM derived_cell WHERE derivation = $1", [d.id]);
      if (snapshot > 0) {
        const periods = await markAllCells(connection, spec);
        addDerived(stats, await deriveCells(connection, d, spec, periods, snapshot));
      }
      await connection.run("INSERT OR REPLACE INTO _derivation (derivation, definition) VALUES ($1, $2)", [d.id, hash]);
      await connection.run("COMMIT");
    } catch (err) {
      await connection.run("ROLLBACK");
      throw err;
    }
  }
}
