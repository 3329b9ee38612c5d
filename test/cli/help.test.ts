import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

/** The command names listed under "Commands:" in `gongfu --help`. */
function commandsOf(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== "help");
}

describe("gongfu --help", () => {
  it("lists the commands and shows an example for every one of them", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Example:$/m);
    expect(top.stdout).toContain("Exit codes: 0 ok, 1 failure, 2 usage or configuration error.");
    const commands = commandsOf(top.stdout);
    expect(commands).toEqual(
      expect.arrayContaining(["run", "ingest", "transform", "load", "evaluate", "status", "config", "replay"]),
    );
    const missing: string[] = [];
    for (const command of commands) {
      const help = await runCli([command, "--help"]);
      expect(help.code, `${command} --help`).toBe(0);
      if (!/^Examples?:\n {2}\S/m.test(help.stdout)) missing.push(command);
    }
    expect(missing).toEqual([]);
  }, 300_000);
});
