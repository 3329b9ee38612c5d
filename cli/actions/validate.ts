import { createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { validateSource } from "../../ingest/index.ts";
import { formatPosition } from "../../schemas/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createProgress } from "../../runtime/progress.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { escapeControls } from "../../runtime/terminal-text.ts";

export interface ValidateOptions extends GlobalOptions {
  feed: string;
  maxProblems: number;
}

export async function validateAction(file: string, opts: ValidateOptions): Promise<void> {
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
  if (problems > opts.maxProblems) process.stdout.write(`... ${problems - opts.maxProblems} more problems not shown\n`);
  process.stdout.write(
    `${escapeControls(file)}: ${summary.ok} rows ok, ${summary.withProblems} rows ` +
      `with problems (feed ${spec.id}, ${spec.format.kind})\n`,
  );
  process.exitCode = summary.withProblems > 0 || problems > 0 ? 1 : 0;
}
