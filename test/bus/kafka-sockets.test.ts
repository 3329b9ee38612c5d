import { createServer, type Socket } from "node:net";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { createSocketTracker } from "../../bus/kafka-sockets.ts";

describe("the socket tracker behind the Kafka clients", () => {
  it("destroys the sockets still in use, with an error the client sees, and leaves the closed and the ending ones", async () => {
    const server = createServer((s) => s.on("error", () => {}));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    try {
      const tracker = createSocketTracker();
      const open = (): Promise<Socket> =>
        new Promise((resolve) => {
          const socket: Socket = tracker.factory({
            host: "127.0.0.1",
            port,
            ssl: false as never,
            onConnect: () => resolve(socket),
          });
        });
      const [kept, closed, ended] = [await open(), await open(), await open()];
      closed.destroy();
      await once(closed, "close");
      ended.end();
      const errors: Error[] = [];
      kept.on("error", (err) => errors.push(err));
      const keptClosed = new Promise((resolve) => kept.once("close", resolve));
      expect(tracker.destroyAll()).toBe(1);
      await keptClosed;
      expect(kept.destroyed).toBe(true);
      expect(errors.map((e) => e.message)).toEqual(["connection closed by a stopping gongfu client"]);
      expect(tracker.destroyAll()).toBe(0);
      expect(ended.destroyed).toBe(false);
    } finally {
      server.close();
    }
  });
});
