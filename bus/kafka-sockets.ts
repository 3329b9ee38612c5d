import net from "node:net";
import tls from "node:tls";
import type { ISocketFactory } from "./kafkajs.ts";

/**
 * kafkajs's socket factory, keeping track of the sockets it opens. A consumer caches its group coordinator's
 * connection apart from the broker pool, and after a broker restart a heartbeat can reopen it where `disconnect`
 * no longer reaches; the open socket then kept a stopped stage's process alive. Once every client of the bus is
 * closed, whatever is still open is destroyed.
 */
export function createSocketTracker() {
  const open = new Set<net.Socket>();
  const factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    // The same sockets as kafkajs's default factory (src/network/socketFactory.js).
    const socket = ssl
      ? tls.connect(Object.assign({ host, port }, net.isIP(host) ? {} : { servername: host }, ssl), onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    return socket;
  };
  return {
    factory,
    /**
     * Destroys the sockets still in use, with an error, so kafkajs fails what waits on them; returns how many there
     * were. Sockets kafkajs has ended itself are left to close (it unreferences them, so they keep nothing alive).
     */
    destroyAll(): number {
      let destroyed = 0;
      for (const socket of open) {
        if (socket.writableEnded) continue;
        socket.destroy(new Error("connection closed by a stopping gongfu client"));
        open.delete(socket);
        destroyed++;
      }
      return destroyed;
    },
  };
}
