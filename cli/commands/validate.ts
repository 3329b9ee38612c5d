import { InvalidArgumentError, type Command } from "commander";
import type { ValidateOptions } from "../actions/validate.ts";

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
      const { validateAction } = await import("../actions/validate.ts");
      await validateAction(file, cmd.optsWithGlobals<ValidateOptions>());
    });
}
