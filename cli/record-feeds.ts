import {
  FeedSpecError,
  readDerivations,
  readRecordFeedSpecs,
  type Derivation,
  type RecordFeedSpec,
} from "../schemas/index.ts";
import type { CommandContext } from "./context.ts";

export interface RecordSetup {
  specs: RecordFeedSpec[];
  derivations: Derivation[];
}

/**
 * The record feeds (feeds/records/) and derivations (feeds/derivations/) of the feed spec folder, checked against
 * the catalog and the observation feeds: a record feed may not share an id with an observation feed, since both keep
 * their ingest state under the feed's id.
 */
export function readRecordSetup(ctx: CommandContext): RecordSetup {
  const specs = readRecordFeedSpecs(ctx.paths.feedsDir);
  const taken = new Set(ctx.specs.map((s) => s.id));
  const clashes = specs.filter((s) => taken.has(s.id));
  if (clashes.length > 0)
    throw new FeedSpecError(
      clashes.map((s) => ({
        file: `${ctx.paths.feedsDir}/records`,
        line: 1,
        field: "id",
        message: `record feed id ${s.id} is also an observation feed's id; rename one of them`,
      })),
    );
  return { specs, derivations: readDerivations(ctx.paths.feedsDir, specs, ctx.catalog) };
}
