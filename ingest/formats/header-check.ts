import { textSimilarity, type FeedSpec } from "../../schemas/index.ts";

/** The columns a tabular source must have for its layout: every one of `all`, and one of `anyOf` when given. */
export interface HeaderNeeds {
  all: string[];
  /** When every value column is `optional: true`, a file must still have one of them. */
  anyOf: string[];
  /** Value columns a file may lack (`optional: true`); renamed like the others when present. */
  optional?: string[];
}

/** What the spec's layout reads from each record, minus the columns the reader adds itself (e.g. the sheet name). */
export function headerNeeds(spec: FeedSpec, supplied: readonly string[] = []): HeaderNeeds {
  const layout = spec.layout;
  const all = [
    layout.region,
    ...(layout.period !== undefined && layout.fixedPeriod === undefined ? [layout.period] : []),
  ];
  if (layout.kind === "long") all.push(layout.indicator, layout.value);
  const mapped = layout.kind === "wide" ? Object.entries(layout.columns) : [];
  const required = mapped.filter(([, m]) => !m.optional).map(([c]) => c);
  const optional = mapped.filter(([, m]) => m.optional).map(([c]) => c);
  all.push(...required);
  const anyOf = required.length === 0 ? optional : [];
  return { all: [...new Set(all)].filter((c) => !supplied.includes(c)), anyOf, optional };
}

/** A header name as compared: full width folded to half width (（%） is (%)), case and spaces ignored. */
export function headerKey(name: string): string {
  return name.normalize("NFKC").replace(/\s+/gu, "").toLowerCase();
}

/**
 * The header with each column the spec names under another width or spacing renamed to the spec's spelling,
 * so records are keyed as the spec reads them: a file's `县域就诊率(%)` is the spec's `县域就诊率（%）`.
 */
export function canonicalHeader(header: readonly string[], needs: HeaderNeeds | undefined): string[] {
  if (!needs) return [...header];
  const names = [...needs.all, ...needs.anyOf, ...(needs.optional ?? [])];
  const wanted = new Map(names.map((c) => [headerKey(c), c] as const));
  const exact = new Set(header);
  return header.map((name) => {
    const spec = wanted.get(headerKey(name));
    return spec !== undefined && !exact.has(spec) ? spec : name;
  });
}

function closest(column: string, header: readonly string[]): string | undefined {
  const key = headerKey(column);
  let best: { name: string; score: number } | undefined;
  for (const name of header) {
    if (!name) continue;
    const score = textSimilarity(key, headerKey(name));
    if (score > (best?.score ?? 0)) best = { name, score };
  }
  return best && best.score >= 0.3 ? best.name : undefined;
}

/** Why a header does not fit the layout, or undefined when it does; each missing column names the closest header. */
export function headerMismatch(header: readonly string[], needs: HeaderNeeds): string | undefined {
  const have = new Set(header.map(headerKey));
  const missing = needs.all.filter((c) => !have.has(headerKey(c)));
  const noValue = needs.anyOf.length > 0 && !needs.anyOf.some((c) => have.has(headerKey(c)));
  if (missing.length === 0 && !noValue) return undefined;
  const parts = [];
  if (missing.length > 0) {
    const named = missing.map((c) => {
      const near = closest(c, header);
      return near === undefined ? c : `${c} (closest in the file: ${near})`;
    });
    parts.push(`missing column${missing.length > 1 ? "s" : ""} ${named.join(", ")}`);
  }
  if (noValue) parts.push(`none of the value columns ${needs.anyOf.join(", ")}`);
  const shown = header.filter(Boolean).slice(0, 12).join(", ");
  return `the header does not match the feed's layout: ${parts.join("; ")} (found: ${shown || "nothing"})`;
}

/**
 * Why a header that names a column twice cannot be read, or undefined: records are keyed by column name, so one
 * of the two would silently win. Blank names (trailing delimiters, empty cells) are not columns anyone reads.
 */
export function repeatedColumn(header: readonly string[]): string | undefined {
  const first = new Map<string, number>();
  for (const [i, name] of header.entries()) {
    if (!name) continue;
    const at = first.get(name);
    if (at !== undefined)
      return `the header names column ${name} twice (columns ${at + 1} and ${i + 1}); rename one of them`;
    first.set(name, i);
  }
  return undefined;
}
