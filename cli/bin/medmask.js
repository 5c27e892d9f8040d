#!/usr/bin/env node
// The `medmask` command: the command line compiled from src/cli into dist/ (npm run build in
// a clone). A file of its own so that npm links the bin at install, before any build.
try {
  await import("../dist/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/main.js")) throw error;
  process.stderr.write("medmask: the command line is not built yet; run `npm run build` in the repository first.\n");
  process.exitCode = 1;
}
