import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // The command line imports the library by its package name, as medmask-cli does; tests
  // that import src/cli get the same sources as every other test, not a second copy from dist/.
  resolve: { alias: [{ find: /^medmask$/, replacement: src("node.ts") }, { find: /^medmask\/internals$/, replacement: src("internals.ts") }] },
  test: {
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    // Two workers: vitest's default on 2 cores is one, and many suites wait on child
    // processes (the CLI, Python, Redis, Chromium). Timing-sensitive tests measure the
    // machine as it is (see reliability.test.ts's kills); the browser's timings run after.
    maxWorkers: 2,
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["test/system/browser.test.ts", "test/**/*-scipy.test.ts", "test/**/*-nibabel.test.ts", "test/**/*-plastimatch.test.ts", "test/**/*-vtk.test.ts", "**/node_modules/**", "test/.tmp/**"], sequence: { groupOrder: 0 } } },
      // Oracle suites: medmask's numbers against scipy's, and its files against nibabel's and ITK's (plastimatch), on
      // real data. What they check does not
      // depend on the Node version (the kernels' own tests, run on every version, hold each
      // backend to a reference), so they run once, in `npm test`, not in the Node matrix.
      { extends: true, test: { name: "oracles", include: ["test/**/*-scipy.test.ts", "test/**/*-nibabel.test.ts", "test/**/*-plastimatch.test.ts", "test/**/*-vtk.test.ts"], sequence: { groupOrder: 0 } } },
      // The page's timings (file to table, slice redraws) are measured with the machine to
      // themselves: after the other files, not beside them on a 2-core runner.
      { extends: true, test: { name: "browser", include: ["test/system/browser.test.ts"], sequence: { groupOrder: 1 } } },
    ],
  },
});
