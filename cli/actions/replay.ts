import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { runReplay, type ReplayReport } from "../replay/run-replay.ts";

export interface ReplayCommandOptions extends GlobalOptions {
  feed: string;
  stage: string;
  groupId?: string;
  timeout: string;
  json?: boolean;
}

function formatReport(r: ReplayReport): string {
  const lines = [
    `replay ${r.feed} (${r.stage} dead letters, ${r.mode}): ${r.records} record(s) from ${r.quarantineRows} ` +
      `quarantine row(s)${r.notReplayable > 0 ? `; ${r.notReplayable} row(s) hold no raw record and cannot be replayed` : ""}`,
  ];
  if (r.records === 0) return `${lines[0]}\nnothing to replay\n`;
  lines.push(
    `  resolved: ${r.resolvedRecords} record(s), ${r.resolvedRows} quarantine row(s) marked ` +
      `resolved, ${r.observationsLoaded} observation(s) loaded`,
  );
  if (r.stillFailing.length > 0)
    lines.push(
      `  still failing: ${r.stillFailing.length} record(s); fix the feed spec or the catalog and replay again`,
      ...r.stillFailing.slice(0, 20).map((f) => `    ${f.source}: ${f.codes.join(", ")}`),
    );
  if (r.noOutcome.length > 0) lines.push(`  no outcome seen for ${r.noOutcome.length} record(s) (left unresolved)`);
  return `${lines.join("\n")}\n`;
}

export async function replayAction(opts: ReplayCommandOptions): Promise<void> {
  if (opts.stage !== "transform")
    throw new ConfigError(`--stage ${opts.stage}: only transform dead letters can be replayed`, {
      hint: "ingest dead letters are unreadable files or lines: fix the file and drop it again",
    });
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new ConfigError(`--timeout ${opts.timeout}: not a number of seconds`);
  const ctx = createContext(opts);
  const report = await runReplay(ctx, {
    feed: opts.feed,
    stage: "transform",
    timeoutMs: timeout * 1000,
    ...(opts.groupId ? { loadGroupId: opts.groupId } : {}),
  });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
}
