import type { Bus } from "../bus/index.ts";
import type { IngestOptions } from "../ingest/index.ts";
import type { LoadOptions } from "../load/index.ts";
import type { CommandContext } from "./context.ts";
import { countLoaded } from "./metered-bus.ts";

/**
 * The observation loader's options as every command that starts one takes them from its context (run, load,
 * replay); `extra` adds a command's own (its consumer group, a lake published at stop). Types only are imported from
 * the stages, so a command that starts no loader loads none of it.
 */
export function loadOptionsOf(ctx: CommandContext, bus: Bus, extra: Partial<LoadOptions> = {}): LoadOptions {
  return {
    bus,
    topics: ctx.topics,
    catalog: ctx.catalog,
    warehousePath: ctx.paths.warehouse,
    dataDir: ctx.paths.dataDir,
    settings: ctx.config.load,
    logger: ctx.logger,
    onCommitted: countLoaded(ctx.metrics),
    ...extra,
  };
}

/** Ingest's options as `run` and `ingest` take them from their context; `extra` adds a command's own. */
export function ingestOptionsOf(ctx: CommandContext, bus: Bus, extra: Partial<IngestOptions> = {}): IngestOptions {
  return {
    specs: ctx.specs,
    bus,
    topics: ctx.topics,
    dropRoot: ctx.paths.dropDir,
    stateDir: ctx.paths.stateDir,
    logger: ctx.logger,
    env: process.env,
    settleMs: ctx.config.ingest.settleSeconds * 1000,
    allowedRoots: ctx.config.ingest.allowedRoots,
    ...extra,
  };
}
