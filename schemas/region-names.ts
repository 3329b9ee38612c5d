// Name normalisation for region lookup: one comparable key per spelling, however it was typed.

// Longest first, so "autonomous county" is stripped before "county"; spaces are already removed.
const SUFFIXES = [
  "畲族自治县",
  "自治县",
  "省",
  "市",
  "县",
  "区",
  "sheautonomouscounty",
  "autonomouscounty",
  "countylevelcity",
  "prefecturelevelcity",
  "prefecture",
  "province",
  "district",
  "county",
  "city",
  "shezuzizhixian",
  "zizhixian",
  "sheng",
  "shi",
  "xian",
  "qu",
] as const;

/**
 * Folds width (NFKC turns ３３０１００ into 330100 and U+3000 into a space), case,
 * whitespace, apostrophes, hyphens and dots, so "Chun'an County" becomes "chunancounty".
 */
export function nameKey(input: string): string {
  return input
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s'’‘ʼ`\-_.·・()（）]/gu, "");
}

/** The key without one trailing administrative suffix, or null when there is none to strip. */
export function stripSuffix(key: string): string | null {
  for (const suffix of SUFFIXES) {
    if (!key.endsWith(suffix)) continue;
    const rest = key.slice(0, key.length - suffix.length);
    // Keep at least a two-character Chinese name or a three-letter pinyin stem.
    const minimum = /^[a-z]/.test(rest) ? 3 : 2;
    if ([...rest].length >= minimum) return rest;
  }
  return null;
}

/** Levenshtein distance over code points, so one wrong hanzi counts as one edit. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/** Similarity in [0, 1]: 1 for equal strings, falling by one step per edit relative to the longer one. */
export function similarity(a: string, b: string): number {
  const longest = Math.max([...a].length, [...b].length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** A 6-digit code from a 6- or 12-digit statistical code (330100 or 330100000000), else null. */
export function codeKey(key: string): string | null {
  if (/^\d{6}$/.test(key)) return key;
  if (/^\d{6}0{6}$/.test(key)) return key.slice(0, 6);
  return null;
}
