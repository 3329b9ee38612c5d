// Small builders for the report's HTML and SVG: an element is a tag, its attributes in the order given, and content.
// Attribute values and content are markup already: text from the warehouse goes through esc() before it gets here.
export type Attrs = Readonly<Record<string, string | number | undefined>>;

/** ` a="v"` per attribute; undefined leaves the attribute out. */
function attributes(a: Attrs): string {
  let out = "";
  for (const [name, value] of Object.entries(a)) if (value !== undefined) out += ` ${name}="${value}"`;
  return out;
}

/** `<tag a="v">content</tag>` */
export const el = (tag: string, a: Attrs, ...content: readonly string[]): string =>
  `<${tag}${attributes(a)}>${content.join("")}</${tag}>`;

/** `<tag a="v"/>`: an SVG element without content. */
export const empty = (tag: string, a: Attrs): string => `<${tag}${attributes(a)}/>`;

/** `<tag>` (no end tag): for void HTML elements. */
export const open = (tag: string, a: Attrs = {}): string => `<${tag}${attributes(a)}>`;

export const title = (text: string): string => el("title", {}, text);

/** A whole chart: an accessible SVG image of `width` × `height`. */
export const svgImage = (width: number, height: number, label: string, ...content: readonly string[]): string =>
  el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": label,
    },
    ...content,
  );

export const th = (content: string, a: Attrs = {}): string => el("th", a, content);
export const td = (content: string | number, a: Attrs = {}): string => el("td", a, String(content));
export const tr = (...cells: readonly string[]): string => el("tr", {}, ...cells);

/** A table: a header row of `heads` (each a th's content) and the body rows' markup. */
export function table(heads: readonly string[], rows: string, a: Attrs = {}): string {
  return el("table", a, el("thead", {}, tr(...heads.map((h) => th(h)))), el("tbody", {}, rows));
}

/** A table whose header cells carry attributes of their own: `heads` are whole th elements. */
export const tableOf = (heads: readonly string[], rows: string, a: Attrs = {}): string =>
  el("table", a, el("thead", {}, tr(...heads)), el("tbody", {}, rows));

/** A report section: its id, a level-2 heading, then its content (line breaks in it are the caller's). */
export const section = (id: string, heading: string, ...content: readonly string[]): string =>
  el("section", { id }, el("h2", {}, heading), ...content);

export const bold = (content: string): string => el("b", {}, content);
export const code = (content: string): string => el("code", {}, content);
export const small = (content: string): string => el("small", {}, content);

export const note = (content: string): string => el("p", { class: "note" }, content);
