import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as Arrow from "apache-arrow";

const require = createRequire(import.meta.url);
let arrow: typeof Arrow | undefined;

/**
 * apache-arrow, loaded on first use: ~150 modules and ~0.15 s of start-up that only a batch on Kafka and the published
 * Arrow schemas need, so an embedded run, `gongfu --version` or a command's help never load it. The codec is
 * synchronous, hence require() rather than import(): of Arrow's ES module build (require(esm), Node ≥ 22.12), which is
 * the very instance `import "apache-arrow"` gives elsewhere in the process, not the CommonJS twin require would pick.
 */
export function apacheArrow(): typeof Arrow {
  arrow ??= require(fileURLToPath(import.meta.resolve("apache-arrow"))) as typeof Arrow;
  return arrow;
}
