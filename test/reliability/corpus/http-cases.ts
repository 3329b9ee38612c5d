import iconv from "iconv-lite";
import { caseSpec, type CorpusCase, type Expected, type HttpStep } from "./case.ts";
import { toJson } from "./render.ts";
import { LONG } from "./text-cases.ts";

type Make = (id: string) => CorpusCase;
const ok = (loaded: number): Expected => ({ loaded, dead: 0, missing: 0, codes: [] });
const refused = (code: string): Expected => ({ loaded: 0, dead: 1, missing: 0, codes: [code] });
const page = toJson(LONG);
const OK: HttpStep = { status: 200, body: page };

/** An http-poll feed with quick retries and a short timeout, so a slow or failing endpoint costs the suite little. */
const api =
  (
    name: string,
    steps: HttpStep[],
    records: number,
    expect: Expected,
    connector: Record<string, unknown> = {},
    limits?: Record<string, number>,
  ): Make =>
  (id) => ({
    id,
    category: "http",
    name,
    http: steps,
    records,
    expect,
    spec: caseSpec(
      id,
      { kind: "json", dataPath: "data" },
      {
        connector: {
          kind: "http-poll",
          url: "http://127.0.0.1:9/replaced",
          retries: 2,
          backoffMs: 5,
          timeoutMs: 300,
          ratePerSecond: 1000,
          ...connector,
        },
        ...(limits ? { limits } : {}),
      },
    ),
  });

/** A department API misbehaving: slow, cut short, not JSON, rate-limited, failing. */
export const HTTP_CASES: Make[] = [
  api("a plain good page", [OK], 4, ok(4)),
  api("503, then the page", [{ status: 503 }, OK], 4, ok(4)),
  api("429 with Retry-After 0, then the page", [{ status: 429, headers: { "retry-after": "0" } }, OK], 4, ok(4)),
  api(
    "429 with an HTTP-date Retry-After in the past, then the page",
    [{ status: 429, headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } }, OK],
    4,
    ok(4),
  ),
  api("500 every time: one dead letter naming the URL", [{ status: 500, body: "oops" }], 1, refused("http_error")),
  api("429 every time", [{ status: 429, headers: { "retry-after": "0" } }], 1, refused("http_error")),
  api("404: not retried", [{ status: 404 }], 1, refused("http_error")),
  api("slower than the timeout once, then in time", [{ ...OK, delayMs: 1500 }, OK], 4, ok(4)),
  api("slower than the timeout every time", [{ ...OK, delayMs: 1500 }], 1, refused("http_error")),
  api("a body cut short (connection closed) once, then whole", [{ partial: page.slice(0, 40) }, OK], 4, ok(4)),
  api("a body cut short every time", [{ partial: page.slice(0, 40) }], 1, refused("http_error")),
  api("the connection reset once, then the page", ["reset", OK], 4, ok(4)),
  api("200 with HTML", [{ status: 200, body: "<html>maintenance</html>" }], 1, refused("bad_response")),
  api(
    "200 with JSON cut off (the server's own truncation)",
    [{ status: 200, body: page.slice(0, -30) }],
    1,
    refused("bad_response"),
  ),
  api("200 with an empty body", [{ status: 200, body: "" }], 1, refused("bad_response")),
  api("200 without the data array", [{ status: 200, body: '{"status":"ok","items":[]}' }], 1, refused("bad_response")),
  api(
    "200 with bad records among good ones",
    [
      {
        status: 200,
        body: toJson([
          ...LONG,
          { region: "火星市", period: "2023", indicator: "urbanization_rate", value: "1", unit: "%" },
          7,
        ]),
      },
    ],
    6,
    { loaded: 4, dead: 2, missing: 0, codes: ["unknown_region", "not_an_object"] },
  ),
  api("a response over maxFileBytes", [OK], 1, refused("http_error"), {}, { maxFileBytes: 100, maxRecordBytes: 100 }),
  api(
    "a record over maxRecordBytes",
    [{ status: 200, body: toJson([...LONG, { region: "x".repeat(500) }]) }],
    5,
    { loaded: 4, dead: 1, missing: 0, codes: ["oversize_record"] },
    {},
    { maxFileBytes: 1e6, maxRecordBytes: 200 },
  ),
  api("UTF-16 JSON", [{ status: 200, body: Buffer.from(page, "utf16le") }], 1, refused("bad_response")),
  // Pages go through the file readers, whose encoding detection reads GBK as GB18030.
  api("a GBK body without a charset", [{ status: 200, body: iconv.encode(page, "gbk") }], 4, ok(4)),
  // Port 9 (discard) on this host: another origin than the case server's; the refusal is one more record, dead-lettered.
  api(
    "a next-page cursor on another port: the page loads, the cursor is refused unfetched",
    [{ status: 200, body: JSON.stringify({ data: LONG, next: "http://127.0.0.1:9/steal?token=x" }) }],
    5,
    { loaded: 4, dead: 1, missing: 0, codes: ["foreign_origin"] },
    { pagination: { kind: "cursor" } },
  ),
  api(
    "a redirect to another port: refused, not followed",
    [{ status: 302, headers: { location: "http://127.0.0.1:9/moved" } }],
    1,
    refused("foreign_origin"),
  ),
];
