import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A data folder and a feeds folder of a test's own, as a department's deployment would have them. */
export function workspace(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `gongfu-${name}-`));
  const feeds = join(dir, "feeds");
  const data = join(dir, "data");
  mkdirSync(feeds, { recursive: true });
  return {
    dir,
    feeds,
    data,
    spec(id: string, yaml: string) {
      writeFileSync(join(feeds, `${id}.yaml`), yaml);
    },
    /** Writes a file into a feed's drop folder (`<data>/inbox/<folder>/<name>`) and returns its path. */
    drop(folder: string, name: string, bytes: string | Buffer): string {
      const path = join(data, "inbox", folder, name);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, bytes);
      return path;
    },
  };
}

/** The YAML of a file-drop feed with a long layout (region, indicator, period, value). */
export function longFeed(id: string, folder: string, format: string): string {
  return `id: ${id}
name: ${id}
department: { code: test, name: 测试 }
connector: { kind: file-drop, path: ${folder} }
format: ${format}
layout: { kind: long, region: region, indicator: indicator, period: period, value: value }
frequency: annual
`;
}
