import type { FeedSpec } from "../../schemas/index.ts";

/** The columns a tabular source must have for its layout: every one of `all`, and one of `anyOf` when given. */
export interface HeaderNeeds {
  all: string[];
  anyOf: string[];
}

/** What the spec's layout reads from each record, minus the columns the reader adds itself (e.g. the sheet name). */
export function headerNeeds(spec: FeedSpec, supplied: readonly string[] = []): HeaderNeeds {
  const layout = spec.layout;
  const all = [
    layout.region,
    ...(layout.period !== undefined && layout.fixedPeriod === undefined ? [layout.period] : []),
  ];
  if (layout.kind === "long") all.push(layout.indicator, layout.value);
  const anyOf = layout.kind === "wide" ? Object.keys(layout.columns) : [];
  return { all: [...new Set(all)].filter((c) => !supplied.includes(c)), anyOf };
}

/** Why a header does not fit the layout, or undefined when it does. */
export function headerMismatch(header: readonly string[], needs: HeaderNeeds): string | undefined {
  const have = new Set(header);
  const missing = needs.all.filter((c) => !have.has(c));
  const noValue = needs.anyOf.length > 0 && !needs.anyOf.some((c) => have.has(c));
  if (missing.length === 0 && !noValue) return undefined;
  const parts = [];
  if (missing.length > 0) parts.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
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
