// Opens (and so migrates) a warehouse, syncs the catalog, then dies at once: what a crash right after start leaves.
import { openWarehouse, syncCatalog } from "../../load/index.ts";
import { defaultCatalog } from "../../schemas/index.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: kill-after-open.ts <warehouse file>");
const warehouse = await openWarehouse(path);
await syncCatalog(warehouse.connection, defaultCatalog());
process.kill(process.pid, "SIGKILL");
