import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.ts";

/** Folders that are not the project's source: dependencies, data, build and scratch output (all git-ignored). */
const SKIP = new Set(["node_modules", ".git", "data", "tmp", "coverage", ".kafka", "out", ".venv-crosscheck"]);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const CONSOLE = new RegExp(
  ["\\bconsole", "\\s*\\.\\s*(log|info|warn|error|debug|trace|table|dir|time|timeEnd|assert)\\s*\\("].join(""),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(join(dir, e.name));
    return SOURCE.test(e.name) ? [join(dir, e.name)] : [];
  });
}

describe("house style", () => {
  it("uses pino or process.stdout, never console.*, in any source or test file", () => {
    const files = sourceFiles(REPO);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((text, i) => (CONSOLE.test(text) ? [`${relative(REPO, file)}:${i + 1}: ${text.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
