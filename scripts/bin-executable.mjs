// Leaves every `bin` of the packages here (the library's and medmask-cli's) executable
// after tsc (which writes files 0644): without it `npx medmask` in a clone fails with
// "Permission denied" after any rebuild.
import { chmodSync, readFileSync, statSync } from "node:fs";

for (const dir of ["../", "../cli/"]) {
  const root = new URL(dir, import.meta.url);
  const { bin = {} } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  for (const path of Object.values(typeof bin === "string" ? { bin } : bin)) {
    const file = new URL(path, root);
    chmodSync(file, statSync(file).mode | 0o111);
  }
}
