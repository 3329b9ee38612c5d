import type { Catalog } from "../schemas/index.ts";

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur.push(
        Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1)),
      );
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

const fold = (text: string): string =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-()（）]/gu, "");

/** Catalog codes whose code or Chinese or English name is nearest to `name`, best first; for dead-letter hints. */
export function closestIndicators(name: string, catalog: Catalog, limit = 3): string[] {
  const key = fold(name);
  if (key === "") return [];
  return catalog.indicators
    .map((i) => {
      const score = Math.max(
        ...[i.code, i.nameZh, i.nameEn]
          .map(fold)
          .map((f) => 1 - editDistance(key, f) / Math.max([...key].length, [...f].length)),
      );
      return { code: i.code, score };
    })
    .filter((c) => c.score >= 0.4)
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))
    .slice(0, limit)
    .map((c) => c.code);
}
