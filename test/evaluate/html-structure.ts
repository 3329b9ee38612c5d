const VOID = new Set([
  "meta",
  "br",
  "hr",
  "img",
  "input",
  "link",
  "wbr",
  "source",
  "col",
  "area",
  "base",
  "embed",
  "track",
  "param",
]);

/** Problems with the nesting of an HTML document's tags (script and style bodies skipped); empty when balanced. */
export function tagProblems(html: string): string[] {
  const body = html
    .replace(/<script>[\s\S]*?<\/script>/g, "<script></script>")
    .replace(/<style>[\s\S]*?<\/style>/g, "<style></style>")
    .replace(/<!DOCTYPE[^>]*>/i, "");
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g)) {
    const [, close, rawName, selfClose] = m;
    const name = rawName!.toLowerCase();
    if (selfClose || VOID.has(name)) continue;
    if (!close) stack.push(name);
    else if (stack.pop() !== name) problems.push(`unexpected </${name}> at ${m.index}`);
  }
  return [...problems, ...stack.map((s) => `unclosed <${s}>`)];
}
