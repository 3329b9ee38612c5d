import type { StringDictionary } from "./string-dictionary.ts";

/** What the rows of one bus message share: the feed, the file, the message's place on the bus, the time of ingest. */
export interface SourceTuple {
  id: number;
  feed: number | null;
  uri: number | null;
  topic: number | null;
  partition: number | null;
  offset: number | null;
  ingestedAt: number | null;
}

/**
 * Numbers for the provenance rows share, so each buffered row carries one integer instead of six: a batch's rows
 * all come from one message of one file. Strings inside are ids of the string dictionary. Rows from single JSON
 * messages get one tuple per message.
 */
export interface SourceDictionary {
  id(
    feed: string,
    uri: string,
    topic: string | undefined,
    partition: number | undefined,
    offset: string | undefined,
    ingestedAt: string,
  ): number;
  /** The file (feed and source) of a tuple, as a number: tuples of one file differ by Kafka offset and ingest time. */
  fileOf(id: number): number;
  /** The feed and source of a file number that fileOf gave. */
  fileName(file: number): { feed: string; uri: string };
  /** Tuples added since the last call, to append to the merge buffer's source table. */
  takeNew(): SourceTuple[];
  clear(): void;
}

export function createSourceDictionary(strings: StringDictionary): SourceDictionary {
  const ids = new Map<string, number>();
  const files = new Map<string, number>();
  const fileOfId: number[] = [];
  const fileNames: { feed: string; uri: string }[] = [];
  let fresh: SourceTuple[] = [];
  return {
    id(feed, uri, topic, partition, offset, ingestedAt) {
      const key = `${feed}\u0000${uri}\u0000${topic ?? ""}\u0000${partition ?? ""}\u0000${offset ?? ""}\u0000${ingestedAt}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        const file = `${feed}\u0000${uri}`;
        if (!files.has(file)) {
          files.set(file, files.size);
          fileNames.push({ feed, uri });
        }
        fileOfId[id] = files.get(file)!;
        fresh.push({
          id,
          feed: strings.id(feed),
          uri: strings.id(uri),
          topic: strings.id(topic),
          partition: partition ?? null,
          offset: offset === undefined ? null : Number(offset),
          ingestedAt: strings.id(ingestedAt),
        });
      }
      return id;
    },
    fileOf(id) {
      return fileOfId[id] ?? -1;
    },
    fileName(file) {
      const name = fileNames[file];
      if (name === undefined) throw new RangeError(`no file ${file} in the source dictionary`);
      return name;
    },
    takeNew() {
      const out = fresh;
      fresh = [];
      return out;
    },
    clear() {
      ids.clear();
      files.clear();
      fileOfId.length = 0;
      fileNames.length = 0;
      fresh = [];
    },
  };
}
