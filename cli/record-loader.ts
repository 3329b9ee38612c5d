import { lakePaths, startRecordLoad } from "../load/index.ts";
import type { Bus } from "../bus/index.ts";
import type { CommandContext } from "./context.ts";
import type { RecordSetup } from "./record-feeds.ts";

/** Starts the record loader beside the observation loader, when the feed folder has record feeds. */
export async function startRecordLoader(ctx: CommandContext, bus: Bus, setup: RecordSetup, groupId?: string) {
  if (setup.specs.length === 0) return undefined;
  return startRecordLoad({
    bus,
    topics: ctx.topics,
    specs: setup.specs,
    derivations: setup.derivations,
    warehousePath: ctx.paths.warehouse,
    logger: ctx.logger,
    ...(groupId === undefined ? {} : { groupId }),
    ...(ctx.config.load.lake ? { lakeDir: lakePaths(ctx.paths.dataDir).lakeDir } : {}),
    ...(ctx.config.load.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: ctx.config.load.sessionTimeoutMs }),
  });
}
