import { writeFileSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { openWarehouseReadOnly } from "../../load/index.ts";
import { findRunRef, readReportData, reportHtml } from "../../evaluate/index.ts";
import { parsePeriod } from "../../schemas/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";

interface ReportOptions extends GlobalOptions {
  period?: string;
  run?: string;
  out: string;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("write a self-contained HTML report of an evaluation run (inline SVG charts, no network)")
    .option("--period <period>", "the period (the latest successful run of it is reported)")
    .option("--run <id>", "report this run instead of the latest of --period")
    .option("--out <file>", "where to write the HTML", "report.html")
    .addHelpText("after", "\nExample:\n  gongfu evaluate --period 2025-09 && gongfu report --period 2025-09 --out report.html\n")
    .action(async (_o: ReportOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ReportOptions>();
      if (opts.period === undefined && opts.run === undefined) throw new ConfigError("gongfu report needs --period or --run");
      const period = opts.period === undefined ? undefined : parsePeriod(opts.period);
      if (period && !period.ok) throw new ConfigError(`--period: ${period.reason}`);
      const ctx = createContext(opts, { lazySpecs: true });
      const warehouse = await openWarehouseReadOnly(ctx.paths.warehouse);
      try {
        const run = await findRunRef(warehouse.connection, { ...(period?.ok ? { period: period.period } : {}), ...(opts.run ? { runId: opts.run } : {}) });
        const html = reportHtml(await readReportData(warehouse.connection, run), new Date().toISOString());
        const out = resolve(opts.out);
        // Written under a temporary name and renamed, so a browser never opens half a report.
        writeFileSync(`${out}.tmp`, html, "utf8");
        renameSync(`${out}.tmp`, out);
        ctx.logger.info({ out, run: run.runId, bytes: Buffer.byteLength(html) }, "report written");
        process.stdout.write(`${out}\n`);
      } finally {
        warehouse.close();
      }
    });
}
