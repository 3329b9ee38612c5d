import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeControls } from "../../runtime/terminal-text.ts";
import { REPO, runCli } from "../helpers/cli.ts";
import { writeSection } from "../reliability/results-file.ts";

/** Sets the window title, clears the line, and returns the cursor to print a fake all-clear over it. */
const HOSTILE = "income\x1b]0;pwned\x07\x1b[2K\rOK: all feeds fresh\u202e.csv";
// Terminal-acting characters: ESC, BEL, CR, the C1 CSI and a bidi override.
const ACTING = /[\x07\x1b\r\u009b\u202e]/;

describe("human-facing output escapes control characters from data", () => {
  const root = mkdtempSync(join(tmpdir(), "gongfu-escapes-"));
  const shown: string[] = [];
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await writeSection(
      "terminal-escapes",
      [
        "## Terminal escapes in human-facing output",
        "",
        `\`test/cli/terminal-escapes.test.ts\`: a CSV dropped under the name \`${escapeControls(HOSTILE)}\``,
        "(an OSC that sets the window title, an erase-line, a carriage return before a fake all-clear, a bidi override),",
        "then `gongfu run`, `status`, `evaluate` and `explain`. Every control character from data is printed as `\\xNN` /",
        "`\\uNNNN` (runtime/terminal-text.ts): in `status`, `explain`, `validate` and error lines. `--json` output escapes",
        "them as JSON does.",
        "",
        "| command | the file name as printed | ESC, BEL, CR, CSI or bidi override in the output |",
        "|---|---|---|",
        ...shown,
      ].join("\n"),
    );
  });

  it("escapes every control character, keeping layout only where the output's own", () => {
    expect(escapeControls("a\x1b[31mb\x07\r\n\tc\u009b\u202e")).toBe("a\\x1b[31mb\\x07\\x0d\\x0a\\x09c\\x9b\\u202e");
    expect(escapeControls("line 1\n\tline 2\x1b", { keepLayout: true })).toBe("line 1\n\tline 2\\x1b");
  });

  it("status and explain print a hostile file name inert", { timeout: 120_000 }, async () => {
    const feeds = join(root, "feeds");
    const data = join(root, "data");
    mkdirSync(feeds);
    mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
    copyFileSync(join(REPO, "feeds", "stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));
    copyFileSync(
      join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"),
      join(data, "inbox", "stats-bureau", HOSTILE),
    );
    const common = ["--data", data, "--feeds", feeds, "--no-metrics"];
    expect((await runCli(["run", ...common])).code).toBe(0);

    const status = await runCli(["status", ...common]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(escapeControls(HOSTILE));
    expect(status.stdout).not.toMatch(ACTING);
    expect(status.stdout.split("\n").some((l) => l.startsWith("OK: all feeds fresh"))).toBe(false);
    shown.push(`| \`gongfu status\` | \`${escapeControls(HOSTILE)}\` | none |`);

    expect((await runCli(["evaluate", "--period", "2024", ...common])).code).toBe(0);
    const explain = await runCli(["explain", "--region", "330100", "--period", "2024", ...common]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(escapeControls(HOSTILE));
    expect(explain.stdout).not.toMatch(ACTING);
    shown.push(`| \`gongfu explain --region 330100 --period 2024\` | \`${escapeControls(HOSTILE)}\` | none |`);

    const validate = await runCli([
      "validate",
      "--feed",
      "stats-bureau-income",
      join(data, "processed", "x\x1b[2Jy.csv"),
      ...common,
    ]);
    expect(validate.stderr).not.toMatch(ACTING);
    expect(validate.stderr).toContain("x\\x1b[2Jy.csv");
    shown.push(
      "| `gongfu validate` of a missing file named with `ESC[2J` (clear screen) | `x\\x1b[2Jy.csv` in the error line | none |",
    );
  });
});
