/** What the scanner finds: one element's text, or why the data array could not be read (further). */
export type ScanEvent =
  | { kind: "element"; index: number; text: string }
  | { kind: "oversize"; index: number }
  /** `index` is where in the data array reading stopped; undefined when the whole source is unusable. */
  | { kind: "error"; index: number | undefined; code: string; reason: string };

interface Frame {
  kind: "obj" | "arr";
  /** How many dataPath keys this container's address matches, or -1 when it is off the path. */
  matched: number;
  key: string | null;
  expect: "key" | "colon" | "value" | "comma";
  index: number;
}

interface Capture {
  index: number;
  parts: string[];
  length: number;
  depth: number;
  inString: boolean;
  escape: boolean;
  primitive: boolean;
  oversize: boolean;
}

const WS = new Set([" ", "\t", "\n", "\r", "\uFEFF"]);

/**
 * Finds the array at `dataPath` (keys, outermost first; empty: the top-level value) in JSON text arriving in
 * chunks and cuts out each element's text, so a file of any size is read with memory bounded by one element
 * (`maxChars`). Elements are parsed by the caller; only the structure around them is checked here.
 */
export function createArrayScanner(dataPath: readonly string[], maxChars: number) {
  const stack: Frame[] = [];
  let started = false;
  let finished = false;
  let found = false;
  let seen = 0;
  let str: { key: boolean; raw: string; escape: boolean } | undefined;
  let primitive = false;
  let cap: Capture | undefined;
  const events: ScanEvent[] = [];
  let emitted = 0;
  /** The index the next element of the data array would have; undefined outside it. */
  const nextIndex = (): number | undefined => {
    const top = stack.at(-1);
    if (!found || !top || top.matched !== dataPath.length) return found ? emitted : undefined;
    return top.index + (top.expect === "comma" ? 1 : 0);
  };
  const fail = (code: string, reason: string) => {
    events.push({ kind: "error", index: nextIndex(), code, reason });
    finished = true;
  };
  const valueDone = () => {
    const top = stack.at(-1);
    if (top) top.expect = "comma";
  };
  const push = (kind: Frame["kind"]) => {
    const parent = stack.at(-1);
    const matched = !parent ? 0 : parent.kind === "obj" && parent.matched >= 0 && parent.matched < dataPath.length && parent.key === dataPath[parent.matched] ? parent.matched + 1 : -1;
    if (matched === dataPath.length && kind === "obj") {
      return fail("no_data_array", dataPath.length ? `format.dataPath ${dataPath.join(".")} is an object, not an array` : "the top-level value is an object; set format.dataPath to the key of its data array");
    }
    if (matched === dataPath.length) found = true;
    stack.push({ kind, matched, key: null, expect: kind === "obj" ? "key" : "value", index: 0 });
  };
  const pop = () => {
    const frame = stack.pop()!;
    if (frame.kind === "arr" && frame.matched === dataPath.length) finished = true;
    valueDone();
  };

  /** Feeds one character of an element being cut out; true when the element ended before this character. */
  const capture = (c: string, chunk: string, i: number, c0: { start: number }): boolean => {
    const k = cap!;
    if (c0.start < 0) c0.start = 0;
    if (k.inString) {
      if (k.escape) k.escape = false;
      else if (c === "\\") k.escape = true;
      else if (c === '"') {
        k.inString = false;
        if (k.depth === 0) emit(chunk, c0.start, i + 1);
      }
      return false;
    }
    if (k.primitive) {
      if (!(c === "," || c === "]" || c === "}" || WS.has(c))) return false;
      emit(chunk, c0.start, i);
      return true;
    }
    if (c === '"') k.inString = true;
    else if (c === "{" || c === "[") k.depth++;
    else if (c === "}" || c === "]") {
      if (--k.depth === 0) emit(chunk, c0.start, i + 1);
    }
    return false;
  };
  const append = (text: string) => {
    const k = cap!;
    if (k.oversize) return;
    if (k.length + text.length > maxChars) k.oversize = true;
    else {
      k.parts.push(text);
      k.length += text.length;
    }
  };
  const emit = (chunk: string, from: number, to: number) => {
    append(chunk.slice(from, to));
    const k = cap!;
    events.push(k.oversize ? { kind: "oversize", index: k.index } : { kind: "element", index: k.index, text: k.parts.join("") });
    emitted++;
    cap = undefined;
    valueDone();
  };

  function navigate(c: string, i: number, c0: { start: number }): void {
    if (str) {
      if (str.escape) str.escape = false;
      else if (c === "\\") str.escape = true;
      else if (c === '"') {
        if (str.key) stack.at(-1)!.key = JSON.parse(`"${str.raw}"`) as string;
        const key = str.key;
        str = undefined;
        if (key) stack.at(-1)!.expect = "colon";
        else valueDone();
        return;
      }
      if (str.key && (str.raw += c).length > maxChars) fail("oversize_record", `a key longer than ${maxChars} characters`);
      return;
    }
    if (primitive) {
      if (!(c === "," || c === "]" || c === "}" || WS.has(c))) return;
      primitive = false;
      valueDone();
    }
    if (WS.has(c)) return;
    const top = stack.at(-1);
    if (!top) {
      if (started) return void (finished = true);
      started = true;
      if (c !== "[" && c !== "{") return fail("not_json", `the source is not JSON (it starts with ${JSON.stringify(c)})`);
      return push(c === "[" ? "arr" : "obj");
    }
    if (top.expect === "key") {
      if (c === '"') return void (str = { key: true, raw: "", escape: false });
      if (c === "}") return pop();
    } else if (top.expect === "colon") {
      if (c === ":") return void (top.expect = "value");
    } else if (top.expect === "comma") {
      if (c === ",") {
        top.expect = top.kind === "obj" ? "key" : "value";
        top.index++;
        return;
      }
      if ((c === "}" && top.kind === "obj") || (c === "]" && top.kind === "arr")) return pop();
    } else {
      if (c === "]" && top.kind === "arr") return pop();
      if (top.kind === "arr" && top.matched === dataPath.length) {
        cap = { index: top.index, parts: [], length: 0, depth: c === "{" || c === "[" ? 1 : 0, inString: c === '"', escape: false, primitive: !'{["'.includes(c), oversize: false };
        c0.start = i;
        return;
      }
      if (c === "{" || c === "[") return push(c === "{" ? "obj" : "arr");
      if (c === '"') return void (str = { key: false, raw: "", escape: false });
      primitive = true;
      return;
    }
    fail("bad_json", `malformed JSON at character ${seen + 1}: unexpected ${JSON.stringify(c)}`);
  }

  return {
    get finished(): boolean {
      return finished;
    },
    push(chunk: string): ScanEvent[] {
      events.length = 0;
      const c0 = { start: -1 };
      for (let i = 0; i < chunk.length && !finished; i++, seen++) {
        const c = chunk[i]!;
        if (!cap) navigate(c, i, c0);
        else if (i !== c0.start && capture(c, chunk, i, c0)) navigate(c, i, c0);
      }
      if (c0.start < 0) c0.start = 0;
      if (cap) append(chunk.slice(c0.start));
      return [...events];
    },
    end(): ScanEvent[] {
      events.length = 0;
      if (!started) events.push({ kind: "error", index: undefined, code: "empty_file", reason: "the source holds no JSON (empty file)" });
      else if (found && !finished) events.push({ kind: "error", index: cap ? cap.index : nextIndex(), code: "truncated", reason: `the source ends inside the data array after ${emitted} records (truncated)` });
      else if (!found && !finished) events.push({ kind: "error", index: undefined, code: "no_data_array", reason: dataPath.length ? `no array at format.dataPath ${dataPath.join(".")}` : "the top-level value is not an array" });
      return [...events];
    },
  };
}
