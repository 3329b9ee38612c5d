import { openWarehouseReadOnly } from "../load/index.ts";
import { ConfigError } from "../runtime/errors.ts";
import { escapeControls } from "../runtime/terminal-text.ts";
import { createContext, type GlobalOptions } from "./context.ts";
import { formatDerivationChains } from "./print-derivation-chain.ts";
import { readRecordSetup } from "./record-feeds.ts";

/** `gongfu explain --derivation`: the chain indicator → derivation → records, without an evaluation run. */
export async function explainDerivation(
  opts: GlobalOptions & { region: string; period?: string; indicator?: string[] },
): Promise<void> {
  if (opts.period === undefined)
    throw new ConfigError("explain --derivation needs --period", { hint: "e.g. --period 2021" });
  const ctx = createContext(opts);
  const setup = readRecordSetup(ctx);
  const warehouse = await openWarehouseReadOnly(ctx.paths.warehouse);
  try {
    const text = await formatDerivationChains(warehouse.connection, setup, ctx.catalog, {
      region: opts.region,
      period: opts.period,
      indicators: opts.indicator ?? [],
    });
    process.stdout.write(escapeControls(text, { keepLayout: true }));
  } finally {
    warehouse.close();
  }
}
