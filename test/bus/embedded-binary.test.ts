import { describe, expect, it } from "vitest";
import { createEmbeddedBus } from "../../bus/embedded.ts";
import type { BusRecord, Delivered } from "../../bus/types.ts";

describe("the embedded bus and a record's binary form", () => {
  it("hands the value over untouched, never asks for the bytes and adds no encoding header", async () => {
    const bus = createEmbeddedBus();
    const value = { columns: [new Int32Array([1, 2, 3])] };
    let asked = 0;
    const record: BusRecord = {
      key: "k",
      value,
      headers: { "gongfu-feed": "f" },
      binary: {
        encoding: "arrow",
        bytes: () => {
          asked++;
          return new Uint8Array([1]);
        },
      },
    };
    const seen: Delivered[] = [];
    await bus.runProcessor({
      groupId: "copy",
      topics: ["in"],
      handle: async (batch, out) => out.send("out", batch),
    });
    await bus.runSink({
      groupId: "sink",
      topics: ["out"],
      storedPositions: async () => [],
      handle: async (batch) => void seen.push(...batch),
    });
    await bus.publish("in", [record]);
    await bus.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.value).toBe(value);
    expect(seen[0]!.headers).toEqual({ "gongfu-feed": "f" });
    expect(asked).toBe(0);
  });
});
