import type { BusRecord } from "../bus/index.ts";
import { batchRecord, encodeRawBatch, HEADERS, rawRecordKey, type RawBatch } from "../schemas/index.ts";
import type { ProduceDeps } from "./produce-deps.ts";

/** Dead letters gathered before they are published, so a source of nothing but bad rows still moves in steps. */
export const DEAD_LETTERS_PER_PUBLISH = 5000;

/**
 * Publishes one source's raw batches to its raw topic and its dead letters to the ingest dead-letter topic, with
 * one publish in flight: the next batch is read while the bus (and the warehouse behind it) takes this one.
 */
export class SourcePublisher {
  private inflight: Promise<void> = Promise.resolve();
  private dead: BusRecord[] = [];

  private readonly topic: string;
  private readonly deps: Pick<ProduceDeps, "bus" | "topics">;

  constructor(topic: string, deps: Pick<ProduceDeps, "bus" | "topics">) {
    this.topic = topic;
    this.deps = deps;
  }

  /** Gathers a dead letter; true when enough are waiting that they should be published. */
  deadLetter(letter: BusRecord): boolean {
    this.dead.push(letter);
    return this.dead.length >= DEAD_LETTERS_PER_PUBLISH;
  }

  /** Publishes a batch (if any) and the dead letters gathered so far, after the previous publish has finished. */
  async publish(batch: RawBatch | undefined): Promise<void> {
    const records = batch && batch.rows > 0 ? [rawBatchRecord(batch)] : [];
    const letters = this.dead;
    this.dead = [];
    await this.inflight;
    this.inflight = (async () => {
      if (records.length) await this.deps.bus.publish(this.topic, records);
      if (letters.length) await this.deps.bus.publish(this.deps.topics.dlqIngest, letters);
    })();
    // A failure is raised by the next publish or by finish, not as an unhandled rejection meanwhile.
    this.inflight.catch(() => {});
  }

  /** Publishes what is left and waits until the bus has taken everything (embedded sinks gather). */
  async finish(): Promise<void> {
    await this.publish(undefined);
    await this.inflight;
    // The caller archives the source next: what was published must be committed downstream first.
    await this.deps.bus.flush?.();
  }
}

/** One raw batch as one bus record, keyed like its source's records so a source's batches stay in order. */
function rawBatchRecord(b: RawBatch): BusRecord {
  return batchRecord(rawRecordKey(b), b, encodeRawBatch, {
    [HEADERS.feed]: b.feed,
    [HEADERS.checksum]: b.checksum,
  });
}
