import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createEmbeddedBus, type Delivered } from "../../../bus/index.ts";
import { runIngestOnce, type FeedRunStats } from "../../../ingest/index.ts";
import { startLoad } from "../../../load/index.ts";
import { startTransform } from "../../../transform/index.ts";
import { defaultCatalog, rawRecordsOf, topicNames, type Catalog, type RawRecord } from "../../../schemas/index.ts";
import { silentLogger } from "../../../runtime/logger.ts";
import type { CorpusCase, Query } from "./case.ts";
import { startCaseServer } from "./http-server.ts";

/** The Zhejiang catalog has no two regions of one name; a twin 普陀 under 杭州 makes "普陀" ambiguous, as a Shanghai feed's would be. */
export function corpusCatalog(): Catalog {
  const catalog = defaultCatalog();
  const putuo = catalog.region("330903")!;
  return {
    ...catalog,
    regions: [
      ...catalog.regions,
      { ...putuo, code: "330199", parentCode: "330100", notes: "a second 普陀, for the corpus" },
    ],
  };
}

export interface CorpusPipeline {
  root: string;
  warehouse: string;
  query: Query;
  /** Raw records ingest produced for a feed, as the bus carried them. */
  raw(feed: string): RawRecord[];
  /** Runs one case: its files dropped (or its endpoint served), ingest once, through transform into the warehouse. */
  run(c: CorpusCase): Promise<FeedRunStats>;
  close(): Promise<void>;
}

/**
 * The embedded pipeline (ingest → bus → transform → bus → load) over one DuckDB file, with the specs of every case:
 * in-process publishing waits for every subscriber, so once a case's ingest returns, its rows are in the warehouse.
 */
export async function startCorpusPipeline(cases: readonly CorpusCase[]): Promise<CorpusPipeline> {
  const root = mkdtempSync(join(tmpdir(), "gongfu-corpus-"));
  const warehouse = join(root, "corpus.duckdb");
  const catalog = corpusCatalog();
  const bus = createEmbeddedBus();
  const topics = topicNames("corpus");
  const logger = silentLogger();
  const specs = cases.map((c) => c.spec);
  const load = await startLoad({ bus, topics, catalog, warehousePath: warehouse, logger, settings: { lake: false } });
  const transform = await startTransform({ bus, topics, specs, catalog, logger });
  const captured = new Map<string, RawRecord[]>();
  const capture = async (batch: Delivered[]) => {
    for (const d of batch)
      for (const r of rawRecordsOf(d.value, d.headers)) {
        const list = captured.get(r.feed) ?? [];
        list.push(r);
        captured.set(r.feed, list);
      }
  };
  await bus.runSink({
    groupId: "corpus-capture",
    topics: specs.map((s) => topics.raw(s.id)),
    handle: capture,
    storedPositions: async () => [],
  });
  const server = await startCaseServer();
  const { connection } = load.warehouse;

  return {
    root,
    warehouse,
    query: async (sql, params) =>
      (await connection.runAndReadAll(sql, (params ?? []) as never)).getRowObjectsJson() as Record<string, unknown>[],
    raw: (feed) => captured.get(feed) ?? [],
    async run(c) {
      const base = join(root, "cases", c.id);
      const folder = join(base, "in");
      mkdirSync(folder, { recursive: true });
      for (const f of c.files ?? []) {
        const path = join(folder, f.name);
        mkdirSync(dirname(path), { recursive: true });
        if (f.linkTo !== undefined) symlinkSync(join(base, f.linkTo), path);
        else writeFileSync(path, f.bytes ?? "");
        if (f.mtime && f.linkTo === undefined) utimesSync(path, f.mtime, f.mtime);
      }
      let spec = c.spec;
      if (c.http) {
        const url = server.serve(c.id, c.http);
        spec = {
          ...spec,
          connector: { ...(spec.connector as Extract<typeof spec.connector, { kind: "http-poll" }>), url },
        };
      }
      const [stats] = await runIngestOnce({
        specs: [spec],
        bus,
        topics,
        dropRoot: base,
        stateDir: join(base, "state"),
        logger,
      });
      return stats!;
    },
    async close() {
      await server.close();
      await transform.runner.stop();
      await load.runner.stop();
      await bus.close();
      load.warehouse.close();
    },
  };
}
