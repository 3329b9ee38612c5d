import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
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

/** Parses and validates one feed spec; errors name the file, the line and the field. With a catalog, the region
 * codes its aliases name must be regions of it. */
export function parseFeedSpec(text: string, file: string, catalog?: Catalog): FeedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new FeedSpecError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? 1,
        field: "(yaml)",
        message: e.message.split("\n")[0] ?? e.message,
      })),
    );
  }
  const result = FeedSpec.safeParse(doc.toJS());
  if (result.success) {
    const unknown = catalog
      ? Object.entries(result.data.regions.aliases).filter(([, code]) => !catalog.region(code))
      : [];
    if (unknown.length === 0) return result.data;
    throw new FeedSpecError(
      unknown.map(([alias, code]) => ({
        file,
        line: lineOf(doc, lineCounter, ["regions", "aliases", alias]),
        field: `regions.aliases.${alias}`,
        message: `${code} is not a region of the catalog`,
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

export function readFeedSpec(file: string, catalog?: Catalog): FeedSpec {
  return parseFeedSpec(readFileSync(file, "utf8"), file, catalog);
}

/** Every `*.yaml`/`*.yml` in a folder, sorted by id; all problems of all files are reported together. */
export function readFeedSpecs(dir: string, catalog?: Catalog): FeedSpec[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const specs: FeedSpec[] = [];
  const problems: SpecProblem[] = [];
  const fileOfId = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    try {
      const spec = readFeedSpec(file, catalog);
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
