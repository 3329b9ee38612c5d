import { createElementCutter, type CutElement } from "./json-element.ts";

/** What the scanner finds: one element's text, or why the data array could not be read (further). */
export type ScanEvent =
  | CutElement
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

const WS = new Set([" ", "\t", "\n", "\r", "\uFEFF"]);
const ENDS_LITERAL = new Set([",", "]", "}", " ", "\t", "\n", "\r"]);
/** How a JSON value can begin; an element starting otherwise (`,,`, a comment) stops the read rather than cutting garbage. */
const VALUE_START = /^[{["\-0-9tfn]$/;

/**
 * Finds the array at `dataPath` (keys, outermost first; empty: the top-level value) in JSON text arriving in
 * chunks and cuts out each element's text, so a file of any size is read with memory bounded by one element
 * (`maxChars`). Elements are parsed by the caller; only the structure around them is checked here.
 */
export function createArrayScanner(dataPath: readonly string[], maxChars: number) {
  const stack: Frame[] = [];
  const cutter = createElementCutter(maxChars);
  let started = false;
  let finished = false;
  let found = false;
  let emitted = 0;
  let seen = 0;
  let str: { key: boolean; raw: string; escape: boolean } | undefined;
  let literal = false;
  const events: ScanEvent[] = [];

  const isTarget = (f: Frame | undefined) => f !== undefined && f.kind === "arr" && f.matched === dataPath.length;
  /** The index the next element of the data array would have. */
  const nextIndex = (): number | undefined => {
    const top = stack.at(-1);
    if (!isTarget(top)) return found ? emitted : undefined;
    return top!.index + (top!.expect === "comma" ? 1 : 0);
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
    const matched = !parent
      ? 0
      : parent.kind === "obj" &&
          parent.matched >= 0 &&
          parent.matched < dataPath.length &&
          parent.key === dataPath[parent.matched]
        ? parent.matched + 1
        : -1;
    if (matched === dataPath.length && kind === "obj") {
      return fail(
        "no_data_array",
        dataPath.length
          ? `format.dataPath ${dataPath.join(".")} is an object, not an array`
          : "the top-level value is an object; set format.dataPath to the key of its data array",
      );
    }
    if (matched === dataPath.length) found = true;
    stack.push({ kind, matched, key: null, expect: kind === "obj" ? "key" : "value", index: 0 });
  };
  const pop = () => {
    if (isTarget(stack.pop())) finished = true;
    valueDone();
  };

  /** One character outside the elements being cut: the structure around the data array. */
  function navigate(c: string, chunk: string, i: number): void {
    if (str) {
      if (str.escape) str.escape = false;
      else if (c === "\\") str.escape = true;
      else if (c === '"') {
        const wasKey = str.key;
        if (wasKey) stack.at(-1)!.key = JSON.parse(`"${str.raw}"`) as string;
        str = undefined;
        if (wasKey) stack.at(-1)!.expect = "colon";
        else valueDone();
        return;
      }
      if (str.key && (str.raw += c).length > maxChars)
        fail("oversize_record", `a key longer than ${maxChars} characters`);
      return;
    }
    if (literal) {
      if (!ENDS_LITERAL.has(c)) return;
      literal = false;
      valueDone();
    }
    if (WS.has(c)) return;
    const top = stack.at(-1);
    if (!top) {
      if (started) return void (finished = true);
      started = true;
      if (c !== "[" && c !== "{")
        return fail("not_json", `the source is not JSON (it starts with ${JSON.stringify(c)})`);
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
      if (isTarget(top) && VALUE_START.test(c)) return cutter.begin(top.index, chunk, i);
      if (isTarget(top))
        return fail("bad_json", `malformed JSON at character ${seen + 1}: unexpected ${JSON.stringify(c)}`);
      if (c === "{" || c === "[") return push(c === "{" ? "obj" : "arr");
      if (c === '"') return void (str = { key: false, raw: "", escape: false });
      literal = true;
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
      for (let i = 0; i < chunk.length && !finished; i++, seen++) {
        if (cutter.active) {
          const cut = cutter.step(chunk, i);
          if (!cut) continue;
          events.push(cut.element);
          emitted++;
          valueDone();
          if (!cut.before) continue;
        }
        navigate(chunk[i]!, chunk, i);
      }
      cutter.endChunk(chunk);
      return [...events];
    },
    end(): ScanEvent[] {
      events.length = 0;
      if (!started)
        events.push({
          kind: "error",
          index: undefined,
          code: "empty_file",
          reason: "the source holds no JSON (empty file)",
        });
      else if (found && !finished)
        events.push({
          kind: "error",
          index: nextIndex(),
          code: "truncated",
          reason: `the source ends inside the data array after ${emitted} records (truncated)`,
        });
      else if (!found && !finished)
        events.push({
          kind: "error",
          index: undefined,
          code: "no_data_array",
          reason: dataPath.length
            ? `no array at format.dataPath ${dataPath.join(".")}`
            : "the top-level value is not an array",
        });
      return [...events];
    },
  };
}
