// Removes dist/ and cli/dist/ so a build never ships files whose source was deleted.
import { rmSync } from "node:fs";
for (const dir of ["../dist", "../cli/dist"]) rmSync(new URL(dir, import.meta.url), { recursive: true, force: true });
