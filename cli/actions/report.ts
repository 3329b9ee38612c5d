import { writeFileSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import { readReportData, reportHtml } from "../../report/index.ts";
import type { GlobalOptions } from "../context.ts";
import { withEvaluationRun } from "../with-evaluation-run.ts";
import type { EvalFlags } from "../eval-flags.ts";

export interface ReportOptions extends GlobalOptions, EvalFlags {
  period?: string;
  run?: string;
  out: string;
}

export async function reportAction(opts: ReportOptions): Promise<void> {
  await withEvaluationRun("report", opts, async (ctx, connection, { run, chosenBy }) => {
    const html = reportHtml(await readReportData(connection, run), new Date().toISOString(), chosenBy);
    const out = resolve(opts.out);
    // Written under a temporary name and renamed, so a browser never opens half a report.
    writeFileSync(`${out}.tmp`, html, "utf8");
    renameSync(`${out}.tmp`, out);
    ctx.logger.info({ out, run: run.runId, bytes: Buffer.byteLength(html) }, "report written");
    process.stdout.write(`${out}\n`);
  });
}
