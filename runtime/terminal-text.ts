/**
 * Characters a terminal acts on instead of printing: C0 controls (ESC starts ANSI and OSC sequences that move the
 * cursor, clear lines or set the window title; BEL ends OSC), DEL, the C1 controls (U+009B is a one-character CSI),
 * and the bidirectional overrides and isolates that reorder what is shown.
 */
const OTHERS = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";
/** All of them but tab and newline. */
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${OTHERS}]`, "g");
const CONTROL_WITH_LAYOUT = new RegExp(`[\\u0000-\\u001f${OTHERS}]`, "g");

const visible = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * Text from data (file names, feed values, error messages) made safe for a terminal: every control character is
 * shown as `\xNN` / `\uNNNN`. `keepLayout` keeps newlines and tabs, for whole formatted outputs whose data parts
 * were escaped already; otherwise they are escaped too, so a file name cannot start a line of its own.
 */
export function escapeControls(text: string, options: { keepLayout?: boolean } = {}): string {
  return text.replace(options.keepLayout ? CONTROL : CONTROL_WITH_LAYOUT, visible);
}
