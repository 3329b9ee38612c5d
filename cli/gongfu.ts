#!/usr/bin/env node
// gongfu command line. Node's compile cache is switched on before anything else loads: stripping the types of and
// compiling a few hundred modules was about half of a short command's time, and the cache makes later starts skip it.
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./program.ts");
