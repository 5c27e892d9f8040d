import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["test/browser.test.ts"], sequence: { groupOrder: 0 } } },
      // The page's timings (file to table, slice redraws) are measured with the machine to
      // themselves: after the other files, not beside them on a 2-core runner.
      { extends: true, test: { name: "browser", include: ["test/browser.test.ts"], sequence: { groupOrder: 1 } } },
    ],
  },
});
