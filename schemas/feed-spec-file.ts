import { readFileSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { LineCounter, parseDocument, isNode } from "yaml";
import { FeedSpec } from "./feed-spec.ts";
import type { Catalog } from "./catalog.ts";

/** One problem in a feed spec file, with where it is. */
export interface SpecProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export class FeedSpecError extends Error {
  readonly problems: readonly SpecProblem[];
  constructor(problems: SpecProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`).join("\n"));
    this.name = "FeedSpecError";
    this.problems = problems;
  }
}

/** What a spec is checked against beyond its own schema: the catalog, and where absolute drop folders may lie. */
export interface SpecContext {
  catalog?: Catalog;
  /** Folders an absolute `connector.path` may lie under; with this given and empty, no absolute path is allowed. */
  allowedRoots?: readonly string[];
}

/** True when `path` is `root` or inside it. */
export function isUnder(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function contextProblems(spec: FeedSpec, context: SpecContext): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  for (const [alias, code] of Object.entries(spec.regions.aliases))
    if (context.catalog && !context.catalog.region(code))
      problems.push({ path: ["regions", "aliases", alias], message: `${code} is not a region of the catalog` });
  const roots = context.allowedRoots;
  if (roots && spec.connector.kind === "file-drop" && isAbsolute(spec.connector.path)) {
    const path = spec.connector.path;
    if (!roots.some((r) => isUnder(path, r)))
      problems.push({
        path: ["connector", "path"],
        message:
          `the absolute drop folder ${path} is outside the drop root and not under ` +
          `ingest.allowedRoots (${roots.join(", ") || "none"})`,
      });
  }
  return problems;
}

/** Parses and validates one feed spec; errors name the file, the line and the field. */
export function parseFeedSpec(text: string, file: string, context: SpecContext = {}): FeedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new FeedSpecError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
        field: "(yaml)",
        message: e.message.split("\n")[0] ?? e.message,
      })),
    );
  }
  let raw: unknown;
  try {
    // A spec has no business with many aliases: a billion-laughs file is refused, not expanded.
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new FeedSpecError([{ file, line: 1, field: "(yaml)", message: `cannot expand the YAML: ${message}` }]);
  }
  const result = FeedSpec.safeParse(raw);
  if (result.success) {
    const found = contextProblems(result.data, context);
    if (found.length === 0) return result.data;
    throw new FeedSpecError(
      found.map((p) => ({
        file,
        line: lineOf(doc, lineCounter, p.path),
        field: p.path.join("."),
        message: p.message,
      })),
    );
  }
  const problems = result.error.issues.map((issue): SpecProblem => {
    const path = issue.path.map(String);
    return { file, line: lineOf(doc, lineCounter, path), field: path.join(".") || "(root)", message: issue.message };
  });
  throw new FeedSpecError(problems);
}

/** The line of the deepest node on `path` that exists, so a missing field points at its parent. */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: string[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

export function readFeedSpec(file: string, context: SpecContext = {}): FeedSpec {
  return parseFeedSpec(readFileSync(file, "utf8"), file, context);
}

/** Every `*.yaml`/`*.yml` in a folder, sorted by id; all problems of all files are reported together. */
export function readFeedSpecs(dir: string, context: SpecContext = {}): FeedSpec[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const specs: FeedSpec[] = [];
  const problems: SpecProblem[] = [];
  const fileOfId = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    try {
      const spec = readFeedSpec(file, context);
      const other = fileOfId.get(spec.id);
      if (other)
        problems.push({ file, line: 1, field: "id", message: `feed id ${spec.id} is already used by ${other}` });
      fileOfId.set(spec.id, file);
      specs.push(spec);
    } catch (err) {
      if (err instanceof FeedSpecError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new FeedSpecError(problems);
  return specs;
}
