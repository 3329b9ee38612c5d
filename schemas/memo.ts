/**
 * Remembers a pure function's answers for the last few thousand distinct inputs. Normalising a record asks the same
 * questions over and over (the unit "万元", the period "2024-06", the region "杭州市"), and each answer folds Unicode
 * and runs regular expressions; the answers are shared, so callers must treat them as read-only.
 */
export function memoize<V>(fn: (input: string) => V, limit = 4096): (input: string) => V {
  const answers = new Map<string, V>();
  return (input) => {
    const known = answers.get(input);
    if (known !== undefined || answers.has(input)) return known as V;
    const answer = fn(input);
    // Clearing all at once keeps the bound without the bookkeeping of an LRU; inputs that repeat come back at once.
    if (answers.size >= limit) answers.clear();
    answers.set(input, answer);
    return answer;
  };
}
