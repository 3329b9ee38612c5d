import { explainRegion, formatExplanation } from "../../report/index.ts";
import { escapeControls } from "../../runtime/terminal-text.ts";
import type { GlobalOptions } from "../context.ts";
import { withEvaluationRun } from "../with-evaluation-run.ts";
import type { EvalFlags } from "../eval-flags.ts";
import { explainDerivation } from "../explain-derivation.ts";

export interface ExplainOptions extends GlobalOptions, EvalFlags {
  region: string;
  period?: string;
  run?: string;
  indicator?: string[];
  all?: boolean;
  json?: boolean;
  derivation?: boolean;
}

export async function explainAction(opts: ExplainOptions): Promise<void> {
  // Record-derived indicators (issue 19): a separate path, kept apart from the run's explanation.
  if (opts.derivation) return explainDerivation(opts);
  await withEvaluationRun("explain", opts, async (_ctx, connection, { run, chosenBy }) => {
    const explanation = await explainRegion(connection, run, opts.region, opts.indicator ?? []);
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ ...explanation, chosenBy })}\n`
        : // Source file names and feed values in it cannot drive the terminal.
          escapeControls(formatExplanation(explanation, { showMissing: opts.all === true, chosenBy }), {
            keepLayout: true,
          }),
    );
  });
}
