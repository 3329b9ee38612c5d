#!/usr/bin/env node
// gongfu command line. Node's compile cache is switched on before anything else loads: stripping the types of and
// compiling a few hundred modules was about half of a short command's time, and the cache makes later starts skip it.
// Then the V8 flags it runs with (node-flags.ts: they must be on Node's command line, so a start without them
// restarts itself with them).
import { enableCompileCache } from "node:module";

enableCompileCache();
(await import("./node-flags.ts")).restartWithNodeFlags();
await import("./program.ts");
