import type { Command } from "commander";
import { stringify } from "yaml";
import { maskSecrets } from "../../runtime/config-view.ts";
import { createContext, type GlobalOptions } from "../context.ts";

interface ConfigOptions extends GlobalOptions {
  json?: boolean;
}

export function registerConfig(program: Command): void {
  program
    .command("config")
    .description("print the effective configuration (file + environment + flags), secrets masked")
    .option("--json", "print JSON instead of YAML")
    .addHelpText("after", "\nExample:\n  KAFKA_BROKERS=127.0.0.1:9092 gongfu config --json\n")
    .action((_o: ConfigOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ConfigOptions>();
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
    });
}
