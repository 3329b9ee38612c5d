import { cpSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The bundled sample feeds (made by us, labelled as sample data), laid out like a drop root. */
export const SAMPLES_DIR = fileURLToPath(new URL("../samples/feeds/", import.meta.url));

/** Copies the sample files into the drop root; a file already produced is recognised by its checksum and skipped. */
export function dropSamples(dropDir: string): void {
  if (!existsSync(SAMPLES_DIR)) return;
  cpSync(SAMPLES_DIR, dropDir, { recursive: true, preserveTimestamps: true });
}
