import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/**
 * A small tmpfs mounted on `dir`: a real full disk (ENOSPC) and a real read-only file system (EROFS), which chmod
 * cannot give a root process. Mounting needs root or CAP_SYS_ADMIN; without it the test fails and says so.
 */
export function mountTmpfs(
  dir: string,
  sizeMb: number,
): { resize(mb: number): void; readOnly(ro: boolean): void; unmount(): void } {
  mkdirSync(dir, { recursive: true });
  const mount = (args: string[]) => {
    try {
      execFileSync("mount", args, { stdio: "pipe" });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
      throw new Error(
        `the disk fault tests need to mount a tmpfs (root or CAP_SYS_ADMIN, e.g. sudo in CI): mount ${args.join(" ")} failed: ${stderr}`,
      );
    }
  };
  mount(["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
  return {
    resize: (mb) => mount(["-o", `remount,size=${mb}m`, dir]),
    // A remount to read-only fails while a process holds a file open for writing: stop the loader first.
    readOnly: (ro) => mount(["-o", `remount,${ro ? "ro" : "rw"}`, dir]),
    unmount: () => execFileSync("umount", ["-l", dir], { stdio: "pipe" }),
  };
}
