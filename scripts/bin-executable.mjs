// Leaves every `bin` of package.json executable after tsc (which writes files 0644): without
// it `npx medmask` in a clone fails with "Permission denied" after any rebuild.
import { chmodSync, readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const { bin } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
for (const path of Object.values(typeof bin === "string" ? { bin } : bin)) {
  const file = new URL(path, root);
  chmodSync(file, statSync(file).mode | 0o111);
}
