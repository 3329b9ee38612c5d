import type { Bus, BusRecord, Delivered, Outbox, ProcessorOptions, Runner, SinkOptions } from "./types.ts";

type Handler = (batch: Delivered[]) => Promise<void>;

/**
 * The in-process bus of embedded mode: `publish` hands a batch straight to every subscriber and waits,
 * so a slow stage slows its producer (back-pressure) and nothing is buffered without bound.
 * Records are passed by reference, never serialised: a record's `binary` form is never asked for.
 */
export function createEmbeddedBus(): Bus {
  const subscribers = new Map<string, Handler[]>();
  const offsets = new Map<string, number>();
  const sinkFlushes = new Set<() => Promise<void>>();

  async function publish(topic: string, records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const base = offsets.get(topic) ?? 0;
    offsets.set(topic, base + records.length);
    const batch: Delivered[] = new Array<Delivered>(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      batch[i] =
        r.headers === undefined
          ? { key: r.key, value: r.value, topic, partition: 0, offset: String(base + i) }
          : { key: r.key, value: r.value, headers: r.headers, topic, partition: 0, offset: String(base + i) };
    }
    for (const handler of subscribers.get(topic) ?? []) await handler(batch);
  }

  function subscribe(topics: string[], handler: Handler): Runner {
    for (const t of topics) subscribers.set(t, [...(subscribers.get(t) ?? []), handler]);
    return {
      idle: async () => {},
      stop: async () => {
        for (const t of topics)
          subscribers.set(
            t,
            (subscribers.get(t) ?? []).filter((h) => h !== handler),
          );
      },
    };
  }

  return {
    kind: "embedded",
    ensureTopics: async () => {},
    publish,
    async runProcessor(options: ProcessorOptions) {
      return subscribe(options.topics, async (batch) => {
        const pending: Array<[string, BusRecord[]]> = [];
        const out: Outbox = { send: (topic, records) => void pending.push([topic, records]) };
        await options.handle(batch, out);
        for (const [topic, records] of pending) await publish(topic, records);
      });
    },
    async runSink(options: SinkOptions) {
      // In-process offsets restart with the process, so there are no positions worth storing.
      const runner = subscribe(options.topics, (batch) => options.handle(batch, []));
      const flush = options.flush;
      if (!flush) return runner;
      sinkFlushes.add(flush);
      return {
        idle: runner.idle,
        stop: async () => {
          sinkFlushes.delete(flush);
          await runner.stop();
        },
      };
    },
    async flush() {
      for (const flush of sinkFlushes) await flush();
    },
    close: async () => {
      subscribers.clear();
      sinkFlushes.clear();
    },
  };
}
