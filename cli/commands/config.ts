import type { Command } from "commander";
import type { ConfigOptions } from "../actions/config.ts";

export function registerConfig(program: Command): void {
  program
    .command("config")
    .description("print the effective configuration (file + environment + flags), secrets masked")
    .option("--json", "print JSON instead of YAML")
    .addHelpText("after", "\nExample:\n  KAFKA_BROKERS=127.0.0.1:9092 gongfu config --json\n")
    .action(async (_o: ConfigOptions, cmd: Command) => {
      const { configAction } = await import("../actions/config.ts");
      configAction(cmd.optsWithGlobals<ConfigOptions>());
    });
}
