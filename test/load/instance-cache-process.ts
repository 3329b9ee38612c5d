// Opens one warehouse file twice in one process, with the garbage collector run in between, as `gongfu load` does
// when the record loader opens its connection beside the observation loader's. Prints "ok" once both are open.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import { openWarehouse } from "../../load/index.ts";

const [path] = process.argv.slice(2);
if (!path) throw new Error("usage: instance-cache-process.ts <warehouse.duckdb>");

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const first = await openWarehouse(path);
// Several collections with turns of the event loop between them, so the native finalisers run too.
for (let i = 0; i < 5; i++) {
  gc();
  await sleep(20);
}
const second = await openWarehouse(path);
const rows = (await second.connection.runAndReadAll("SELECT count(*)::INTEGER AS n FROM _schema_migrations")).getRows();
process.stdout.write(`ok ${JSON.stringify(rows)}\n`);
second.close();
first.close();
