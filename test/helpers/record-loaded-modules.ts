// Preloaded with `node --import` by the tests of what a command loads (test/cli/command-modules.test.ts): every
// module the process loads, ES module, CommonJS or built-in, is written one URL a line at exit to the file that
// GONGFU_LOADED_MODULES names. A count of modules, not a time: it says the same on a busy machine.
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { isMainThread } from "node:worker_threads";

const out = process.env["GONGFU_LOADED_MODULES"];
if (out && isMainThread) {
  const urls = new Set<string>();
  registerHooks({
    load(url, context, nextLoad) {
      urls.add(url);
      return nextLoad(url, context);
    },
  });
  process.on("exit", () => writeFileSync(out, [...urls].join("\n")));
}
