import { runIngestOnce } from "../../ingest/index.ts";
import { startTransform } from "../../transform/index.ts";
import { startLoad } from "../../load/index.ts";
import { realisationTable } from "../../evaluate/index.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { ingestOptionsOf, loadOptionsOf } from "../stage-options.ts";
import { dropSamples } from "../samples.ts";
import { startSampleHttpServer } from "../sample-http-server.ts";
import { formatRealisationTable } from "../print-realisation.ts";
import { waitFor } from "../wait-for.ts";
import { failOnRefusedSources } from "../refused-files.ts";
import { readRecordSetup } from "../record-feeds.ts";
import { ingestRecordsOnce, sampleKeyEnv } from "../record-ingest.ts";
import { startRecordLoader } from "../record-loader.ts";
import { formatDerivedSummary } from "../print-derived.ts";

export interface RunOptions extends GlobalOptions {
  samples?: boolean;
  indicator: string;
  counties?: boolean;
}

export async function runAction(opts: RunOptions): Promise<void> {
  const ctx = createContext(opts);
  const recordSetup = readRecordSetup(ctx);
  if (opts.samples) dropSamples(ctx.paths.dropDir);
  // The demo server for sample HTTP feeds (cli/sample-http-server.ts); sample HTTP feeds are skipped without it.
  const sampleHttp = opts.samples ? await startSampleHttpServer() : undefined;
  const bus = ctx.createBus();
  const load = await startLoad(loadOptionsOf(ctx, bus, { lakeOnStop: true }));
  // Record feeds (feeds/records/): their own loader, with its own connection and transactions.
  const records = await startRecordLoader(ctx, bus, recordSetup);
  try {
    const transform = await startTransform({
      bus,
      topics: ctx.topics,
      specs: ctx.specs,
      catalog: ctx.catalog,
      logger: ctx.logger,
    });
    const ingested = await runIngestOnce(
      ingestOptionsOf(ctx, bus, sampleHttp ? { sampleHttpOrigin: sampleHttp.origin } : {}),
    );
    const recordsIngested = await ingestRecordsOnce(
      ctx,
      bus,
      recordSetup,
      opts.samples ? sampleKeyEnv(ctx) : process.env,
    );
    const produced = ingested.reduce((n, s) => n + s.records, 0);
    const rejectedAtIngest =
      ingested.reduce((n, s) => n + s.deadLetters, 0) +
      recordsIngested.reduce((n, s) => n + s.rejected + s.refusedFiles, 0);
    const recordBatches = recordsIngested.reduce((n, s) => n + s.batches, 0);
    if (records)
      await waitFor(
        () => records.stats.batches + records.stats.duplicates + records.stats.refused >= recordBatches,
        "the record loader to catch up with ingest",
      );
    // On Kafka the stages run concurrently: wait until each has seen what the one before it produced.
    await waitFor(() => transform.stats.records >= produced, "transform to catch up with ingest");
    await waitFor(
      () => load.stats.received >= transform.stats.observations + transform.stats.deadLetters + rejectedAtIngest,
      "load to catch up with transform",
    );
    await transform.runner.stop();
    await records?.runner.stop();
    // Stopping merges what the loader still has staged, then publishes the lake.
    await load.runner.stop();
    ctx.logger.info(
      { ingested, transform: transform.stats, load: load.stats, records: records?.stats, recordsIngested },
      "pipeline run finished",
    );
    const rows = await realisationTable(
      load.warehouse.connection,
      opts.indicator,
      undefined,
      opts.counties ? undefined : ["province", "prefecture"],
    );
    const indicator = ctx.catalog.indicator(opts.indicator);
    process.stdout.write(
      formatRealisationTable(rows, `${indicator?.nameZh ?? opts.indicator} ${opts.indicator} — ${ctx.paths.warehouse}`),
    );
    process.stdout.write(await formatDerivedSummary(load.warehouse.connection, ctx.catalog));
    failOnRefusedSources(ingested);
    if (!opts.counties)
      process.stdout.write(
        "(province and cities; --counties for the 90 county-level units)\n" +
          "Next: gongfu evaluate --period 2025 · gongfu report --period 2025 --out report.html · gongfu status\n",
      );
  } finally {
    await sampleHttp?.close();
    await bus.close();
    records?.warehouse.close();
    load.warehouse.close();
  }
}
