// A BI tool in miniature: opens bi.duckdb read-only while the loader writes, and reports every query as a JSON line.
// Two views of the lake: a fresh connection per query, and one long-lived connection (as a BI tool's pool keeps).
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

const [biPath, stopFile] = process.argv.slice(2);
if (!biPath || !stopFile) throw new Error("usage: bi-reader-process.ts <bi.duckdb> <stop file>");

const QUERY = `SELECT count(*)::INTEGER AS n, count(DISTINCT obs_key)::INTEGER AS keys,
  (SELECT count(*) FROM dim_region)::INTEGER AS regions,
  (SELECT coalesce(list(y ORDER BY y), []) FROM (SELECT year || ':' || count(*) AS y FROM fact_observation GROUP BY year)) AS years
FROM fact_observation`;

async function open(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(biPath!, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function query(mode: string, connection: DuckDBConnection): Promise<number> {
  try {
    const row = (await connection.runAndReadAll(QUERY)).getRowObjectsJson()[0]!;
    process.stdout.write(`${JSON.stringify({ mode, ok: true, ...row })}\n`);
    return Number(row["n"]);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ mode, ok: false, error: String(err) })}\n`);
    return -1;
  }
}

while (!existsSync(biPath)) await sleep(50);
let pooled: Awaited<ReturnType<typeof open>> | undefined;
while (!existsSync(stopFile)) {
  let fresh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fresh = await open();
    const n = await query("fresh", fresh.connection);
    // The pooled connection opens at once, on the empty lake, and is never reopened, as a BI tool's pool keeps it.
    if (!pooled && n >= 0) pooled = await open();
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ mode: "fresh", ok: false, error: String(err) })}\n`);
  } finally {
    fresh?.close();
  }
  if (pooled) await query("pooled", pooled.connection);
  await sleep(20);
}
pooled?.close();
