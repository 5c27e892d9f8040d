// Large arrays on transparent huge pages, as numpy has them (numpy asks madvise(MADV_HUGEPAGE)
// for every large array it allocates on Linux): glibc does the same for its own large
// mappings, which back Node's ArrayBuffers, when the tunable glibc.malloc.hugetlb=1 is set.
// glibc reads it at start-up, so a process that wants it runs itself again with it set. Where
// first touches of fresh pages are slow (virtual machines), a new volume-sized array costs a
// tenth as much; `npm run bench` prints the floor both ways (bench/clean.bench.mjs).
import { spawnSync } from "node:child_process";

const TUNABLE = "glibc.malloc.hugetlb=1";

/** Whether this process runs with glibc's huge-page tunable. */
export function onHugePages() {
  return (process.env.GLIBC_TUNABLES ?? "").split(":").includes(TUNABLE);
}

/**
 * On Linux, unless this process has the tunable already (or MEDMASK_SMALL_PAGES=1 asks for
 * the default pages), runs this script again with it and returns the child's exit status;
 * otherwise null (go on here).
 */
export function restartOnHugePages() {
  if (process.platform !== "linux" || onHugePages() || process.env.MEDMASK_SMALL_PAGES === "1") return null;
  const tunables = [process.env.GLIBC_TUNABLES, TUNABLE].filter(Boolean).join(":");
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, GLIBC_TUNABLES: tunables } });
  return child.status ?? 1;
}

/**
 * The environment for the Python side of a bench row (plus `extra`): without the tunable, so
 * numpy runs as its users run it (it asks for huge pages for its large arrays itself).
 */
export function pythonEnv(extra = {}) {
  const tunables = (process.env.GLIBC_TUNABLES ?? "").split(":").filter((t) => t && t !== TUNABLE).join(":");
  const env = { ...process.env, ...extra };
  if (tunables) env.GLIBC_TUNABLES = tunables;
  else delete env.GLIBC_TUNABLES;
  return env;
}
