import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    // Integration tests share one real broker and the two cores of a small CI machine.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests drop a file and run at once, as a department sending a `.done` marker would; the settle tests set their own.
    env: { GONGFU_SETTLE_SECONDS: "0" },
  },
});
