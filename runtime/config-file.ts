import { existsSync, readFileSync, statSync } from "node:fs";
import { LineCounter, isMap, isNode, parseDocument, type Document } from "yaml";
import { ConfigError } from "./errors.ts";

/** The configuration file as plain data, and where each setting sits in it. */
export interface ConfigSource {
  file: string;
  exists: boolean;
  raw: Record<string, unknown>;
  /** The line of the deepest existing node on `path` (so a missing field points at its parent); 1 otherwise. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Reads a YAML configuration file with line positions; a missing file is an empty configuration. */
export function readConfigSource(file: string): ConfigSource {
  if (!existsSync(file)) return { file, exists: false, raw: {}, lineOf: () => 1 };
  if (statSync(file).isDirectory())
    throw new ConfigError(`config file ${file} is a folder`, { hint: "point --config / GONGFU_CONFIG at a YAML file" });
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(
      `${file}:${e.linePos?.[0]?.line ?? 1}: not valid YAML: ${e.message.split("\n")[0] ?? e.message}`,
      { hint: "fix the YAML syntax at that line" },
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new ConfigError(`${file}:1: the configuration must be a mapping of settings (key: value)`, {
      hint: "see gongfu.config.example.yaml",
    });
  }
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  return { file, exists: true, raw, lineOf: (path) => lineOf(doc, counter, path) };
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number {
  const keys = path.map(String);
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = doc.getIn(keys.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}
