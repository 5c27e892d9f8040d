// `npx medmask ...`: the bin of the medmask-cli package (cli/), which brings the command
// line's own packages (commander, cli-progress, piscina, bullmq, ioredis) and the built-in
// demo case, so that the medmask library installs none of them. In a clone, `npm install`
// links it, and `npx medmask` runs it from cli/dist/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { run } from "./program.js";

/** The built-in demo case: the package's own copy, or in a clone the repository's data/. */
function demoData(): string | null {
  for (const path of ["../data/totalsegmentator-s0000/", "../../data/totalsegmentator-s0000/"]) {
    const dir = fileURLToPath(new URL(path, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return null;
}

process.exitCode = await run(process.argv.slice(2), { demoData: demoData() });
