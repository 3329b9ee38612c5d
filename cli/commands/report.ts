import { writeFileSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { readReportData, reportHtml } from "../../report/index.ts";
import type { GlobalOptions } from "../context.ts";
import { withEvaluationRun } from "../with-evaluation-run.ts";
import { addEvalFlags, type EvalFlags } from "../eval-flags.ts";

interface ReportOptions extends GlobalOptions, EvalFlags {
  period?: string;
  run?: string;
  out: string;
}

export function registerReport(program: Command): void {
  const cmd = program
    .command("report")
    .description("write a self-contained HTML report of an evaluation run (inline SVG charts, no network)")
    .option("--period <period>", "the period (its run made with the settings below is reported)")
    .option("--run <id>", "report this run (any period and settings)");
  addEvalFlags(cmd, "find")
    .option("--out <file>", "where to write the HTML", "report.html")
    .addHelpText(
      "after",
      "\nExample:\n  gongfu evaluate --period 2025-09 && gongfu report --period 2025-09 --out report.html\n",
    )
    .action(async (_o: ReportOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ReportOptions>();
      await withEvaluationRun("report", opts, async (ctx, connection, { run, chosenBy }) => {
        const html = reportHtml(await readReportData(connection, run), new Date().toISOString(), chosenBy);
        const out = resolve(opts.out);
        // Written under a temporary name and renamed, so a browser never opens half a report.
        writeFileSync(`${out}.tmp`, html, "utf8");
        renameSync(`${out}.tmp`, out);
        ctx.logger.info({ out, run: run.runId, bytes: Buffer.byteLength(html) }, "report written");
        process.stdout.write(`${out}\n`);
      });
    });
}
