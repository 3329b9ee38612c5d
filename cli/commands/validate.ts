import { createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { validateSource } from "../../ingest/index.ts";
import { formatPosition } from "../../schemas/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createProgress } from "../../runtime/progress.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { escapeControls } from "../../runtime/terminal-text.ts";

interface ValidateOptions extends GlobalOptions {
  feed: string;
  maxProblems: number;
}

function atLeastOne(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got ${text}`);
  return n;
}

export function registerValidate(program: Command): void {
  program
    .command("validate <file>")
    .description("check a department's file against its feed spec before sending it: nothing is produced")
    .requiredOption("--feed <id>", "the feed whose spec the file must follow")
    .option("--max-problems <n>", "print at most this many problems (all are counted)", atLeastOne, 1000)
    .addHelpText(
      "after",
      "\nWhat is checked: everything ingest checks (encoding, header against the layout, field counts, sheets, JSON\n" +
        "structure, record and file size limits), then each record's region, period and indicator looked up in the\n" +
        "catalog (schemas/). Not checked: values and units, which transform parses (a bad value is reported there).\n" +
        "Exit code 0 when every row is clean, 1 when any row has a problem.\n\n" +
        "Example:\n  gongfu validate 2024-收入.csv --feed stats-bureau-income\n",
    )
    .action(async (file: string, _o: ValidateOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ValidateOptions>();
      const ctx = createContext(opts);
      const spec = ctx.specs.find((s) => s.id === opts.feed);
      if (!spec)
        throw new ConfigError(`no feed spec with id ${opts.feed} in ${ctx.paths.feedsDir}`, {
          hint: `known feeds: ${ctx.specs.map((s) => s.id).join(", ")}`,
        });
      const path = resolve(file);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st?.isFile()) throw new ConfigError(`${file} is not a file`);
      let problems = 0;
      const out: string[] = [];
      // Rows and rows/s on a TTY (stderr) for a big file; nothing otherwise.
      const progress = st.size >= 4 * 1024 ** 2 ? createProgress({ label: file, unit: "rows" }) : undefined;
      const summary = await validateSource(
        spec,
        () => createReadStream(path),
        st.size,
        ctx.catalog,
        (p) => {
          if (++problems <= opts.maxProblems)
            out.push(`${escapeControls(`${file}: ${formatPosition(p.position)}: ${p.code}: ${p.message}`)}\n`);
          if (out.length >= 100) process.stdout.write(out.splice(0).join(""));
        },
        progress,
      );
      progress?.done();
      process.stdout.write(out.join(""));
      if (problems > opts.maxProblems)
        process.stdout.write(`... ${problems - opts.maxProblems} more problems not shown\n`);
      process.stdout.write(
        `${escapeControls(file)}: ${summary.ok} rows ok, ${summary.withProblems} rows ` +
          `with problems (feed ${spec.id}, ${spec.format.kind})\n`,
      );
      process.exitCode = summary.withProblems > 0 || problems > 0 ? 1 : 0;
    });
}
