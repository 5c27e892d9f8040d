// The real command line, run as a child process as users run it (the medmask-cli bin).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = new URL("../../", import.meta.url).pathname;
/** The `medmask` bin: what `npx medmask` runs in a clone and from the medmask-cli package. */
export const CLI = join(ROOT, "cli/bin/medmask.js");

/** Runs `medmask ...args` in the repository and returns its exit code and output. */
export function medmask(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
