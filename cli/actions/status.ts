import { createContext, type GlobalOptions } from "../context.ts";
import { collectStatus } from "../status/collect-status.ts";
import { formatStatus } from "../print-status.ts";
import { readRecordSetup } from "../record-feeds.ts";

export interface StatusOptions extends GlobalOptions {
  json?: boolean;
}

export async function statusAction(opts: StatusOptions): Promise<void> {
  const ctx = createContext(opts);
  const report = await collectStatus({
    specs: ctx.specs,
    recordSpecs: readRecordSetup(ctx).specs,
    paths: ctx.paths,
    schedule: ctx.config.schedule,
    topicPrefix: ctx.topics.prefix,
    kafka: ctx.kafkaSettings(),
  });
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatStatus(report, process.stdout.isTTY === true && !process.env["NO_COLOR"]),
  );
}
