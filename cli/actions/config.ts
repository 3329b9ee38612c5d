import { stringify } from "yaml";
import { maskSecrets } from "../../runtime/config-view.ts";
import { createContext, type GlobalOptions } from "../context.ts";

export interface ConfigOptions extends GlobalOptions {
  json?: boolean;
}

export function configAction(opts: ConfigOptions): void {
  const ctx = createContext(opts, { lazySpecs: true });
  const fromEnv = Object.fromEntries(ctx.configFile.fromEnv);
  const config = maskSecrets(ctx.config);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          file: ctx.configFile.path,
          fileExists: ctx.configFile.exists,
          fromEnv,
          config,
          paths: ctx.paths,
          mode: ctx.brokers ? "kafka" : "embedded",
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const header = [
    `# effective configuration (${ctx.brokers ? `kafka: ${ctx.brokers.join(",")}` : "embedded mode"})`,
    `# file: ${ctx.configFile.path}${ctx.configFile.exists ? "" : " (not found: defaults)"}`,
    ...Object.entries(fromEnv).map(([path, name]) => `# ${path} from ${name}`),
  ];
  process.stdout.write(
    `${header.join("\n")}\n${stringify(config)}# resolved paths\n${stringify({ paths: ctx.paths })}`,
  );
}
