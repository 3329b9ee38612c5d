import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./cli.ts";

/**
 * A Python with the given PyPI packages, for cross-checks by independent implementations (pyarrow reading our Arrow
 * batches, pymcdm checking the index math). It lives in .venv-crosscheck at the repo's root: .ci/run creates it, and
 * a test run on a machine without it creates it here (python3 and PyPI are needed; the error says so if not).
 */
export function pythonWith(packages: readonly string[]): string {
  const venv = join(REPO, ".venv-crosscheck");
  const python = join(venv, "bin", "python");
  const has = (pkg: string) => {
    try {
      execFileSync(python, ["-m", "pip", "show", "--quiet", pkg], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  const missing = packages.filter((p) => !existsSync(python) || !has(p));
  if (missing.length === 0) return python;
  const how = `python3 -m venv .venv-crosscheck && .venv-crosscheck/bin/pip install ${missing.join(" ")}`;
  // In CI the environment is .ci/run's to make: a test that installed what it lacks would hide a broken .ci/run.
  if (process.env["CI"] === "true")
    throw new Error(`${venv} lacks ${missing.join(", ")}, which .ci/run installs: ${how}`);
  try {
    if (!existsSync(python)) execFileSync("python3", ["-m", "venv", venv], { stdio: "pipe" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", ...missing], { stdio: "pipe", timeout: 600_000 });
  } catch (err) {
    throw new Error(`could not make ${venv}; make it by hand from the repository root: ${how}`, { cause: err });
  }
  return python;
}
