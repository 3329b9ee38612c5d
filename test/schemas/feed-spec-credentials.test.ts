import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedSpecError, parseFeedSpec } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";

const PASSWORD = "pa55-Zk9q";
const spec = (url: string) => `id: secret-api
name: an API with a password in its URL
department: { code: x, name: x }
connector:
  kind: http-poll
  url: ${url}
format: { kind: json, dataPath: data }
layout: { kind: long, region: r, period: p, indicator: i, value: v }
frequency: annual
`;

function problemOf(url: string) {
  try {
    parseFeedSpec(spec(url), "feeds/secret-api.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(FeedSpecError);
    return err as FeedSpecError;
  }
  throw new Error(`${url} was accepted`);
}

describe("a feed spec whose HTTP URL holds credentials", () => {
  it("is refused at the url's line, telling where secrets go, without repeating the password", () => {
    for (const url of [
      `https://feeduser:${PASSWORD}@data.zj.gov.cn/api?x=1`,
      `https://:${PASSWORD}@data.zj.gov.cn/`,
      "https://feeduser@data.zj.gov.cn/api",
    ]) {
      const err = problemOf(url);
      expect(err.problems).toEqual([
        {
          file: "feeds/secret-api.yaml",
          line: 6,
          field: "connector.url",
          message: expect.stringMatching(/environment variable.*headersFromEnv/),
        },
      ]);
      expect(err.message).not.toContain(PASSWORD);
      expect(err.message).not.toContain("feeduser");
    }
  });

  it("is accepted without them", () => {
    expect(parseFeedSpec(spec("https://data.zj.gov.cn/api?x=1"), "f.yaml").connector).toMatchObject({
      url: "https://data.zj.gov.cn/api?x=1",
    });
  });

  it("makes gongfu validate fail with exit 2 naming the file, line and field, and no password on either stream", async () => {
    const root = mkdtempSync(join(tmpdir(), "gongfu-spec-secret-"));
    const feeds = join(root, "feeds");
    mkdirSync(feeds);
    writeFileSync(join(feeds, "secret-api.yaml"), spec(`https://feeduser:${PASSWORD}@127.0.0.1:9/api`));
    writeFileSync(join(root, "sample.json"), '{"data":[]}');
    const r = await runCli([
      "validate",
      join(root, "sample.json"),
      "--feed",
      "secret-api",
      "--feeds",
      feeds,
      "--data",
      join(root, "data"),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${join(feeds, "secret-api.yaml")}:6: connector.url: the URL holds a user name or password`,
    );
    expect(r.stderr).toMatch(/headersFromEnv/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });
});
