// The command line on huge pages (cli/bin/medmask.js): where the kernel hands out transparent
// huge pages on request and Node can replace its process (process.execve, Node 22.15+), a
// command that works on volumes restarts itself once, in the same process, with glibc's
// hugetlb tunable; `info` and `--version` do not, nor does anything with
// MEDMASK_SMALL_PAGES=1. Seen from inside: a preload (NODE_OPTIONS, which the restart keeps)
// writes each start's pid and GLIBC_TUNABLES to a file. On Node 20 (no execve) one start.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, ROOT } from "../helpers/cli.js";
import { tempDir } from "../helpers/files.js";

const thp = (() => {
  try {
    return readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8").includes("[madvise]");
  } catch {
    return false;
  }
})();
const restarts = process.platform === "linux" && typeof (process as { execve?: unknown }).execve === "function" && thp;

/** Each start of the process running `medmask ...args`: its pid and its GLIBC_TUNABLES. */
function starts(args: string[], env: Record<string, string> = {}): { pid: number; tunables: string }[] {
  const dir = tempDir();
  const log = join(dir, "starts.jsonl"), preload = join(dir, "preload.cjs");
  writeFileSync(preload, `require("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify({ pid: process.pid, tunables: process.env.GLIBC_TUNABLES ?? "" }) + "\\n");\n`);
  writeFileSync(log, "");
  const { GLIBC_TUNABLES: _, MEDMASK_SMALL_PAGES: __, ...rest } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...rest, NODE_OPTIONS: `--require=${preload}`, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { pid: number; tunables: string });
}

describe("the command line on huge pages", () => {
  it(`a convert ${restarts ? "restarts once in the same process with glibc.malloc.hugetlb=1" : "runs once (no process.execve on this Node, or no THP on request)"}; info, --version and MEDMASK_SMALL_PAGES=1 never restart`, () => {
    const out = join(tempDir(), "liver.msk");
    const convert = starts(["convert", join(ROOT, "data/totalsegmentator-s0000/liver.nii.gz"), out]);
    if (restarts) {
      expect(convert).toHaveLength(2);
      expect(convert[1]!.pid).toBe(convert[0]!.pid);
      expect(convert[0]!.tunables).toBe("");
      expect(convert[1]!.tunables).toBe("glibc.malloc.hugetlb=1");
    } else expect(convert).toHaveLength(1);
    // Tunables the user set are kept beside it.
    if (restarts) expect(starts(["convert", out, `${out}.2.msk`], { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" })[1]!.tunables).toBe("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    expect(starts(["convert", out, `${out}.3.msk`], { MEDMASK_SMALL_PAGES: "1" })).toHaveLength(1);
    expect(starts(["info", out])).toHaveLength(1);
    expect(starts(["--version"])).toHaveLength(1);
  }, 60_000);
});
