#!/usr/bin/env node
// The `medmask` command: the command line compiled from src/cli into dist/ (npm run build in
// a clone). A file of its own so that npm links the bin at install, before any build.
import { readFileSync } from "node:fs";

// Large arrays on transparent huge pages, as numpy has them (docs/PERFORMANCE.md, "Fresh
// memory"): glibc gives them to a process that starts with glibc.malloc.hugetlb=1, so where
// the kernel hands them out on request (THP "madvise") and Node can replace its own process
// (process.execve: Node 22.15 and later), a command that works on volumes restarts itself
// once with it: the same process, so nothing is left running if it is stopped. Not for the
// commands that read headers or print (their start would cost more than their pages);
// MEDMASK_SMALL_PAGES=1 keeps the default pages.
const TUNABLE = "glibc.malloc.hugetlb=1";
const LIGHT = new Set([undefined, "info", "help", "--help", "-h", "--version", "-V"]);
const tunables = process.env.GLIBC_TUNABLES ?? "";
if (process.platform === "linux" && typeof process.execve === "function" && !tunables.split(":").includes(TUNABLE) && process.env.MEDMASK_SMALL_PAGES !== "1" && !LIGHT.has(process.argv[2]) && thpOnRequest()) {
  try {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}` : TUNABLE });
  } catch {
    // execve refused (a seccomp profile, a full process table): go on with the default pages.
  }
}

function thpOnRequest() {
  try {
    return readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8").includes("[madvise]");
  } catch {
    return false;
  }
}

try {
  await import("../dist/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/main.js")) throw error;
  process.stderr.write("medmask: the command line is not built yet; run `npm run build` in the repository first.\n");
  process.exitCode = 1;
}
