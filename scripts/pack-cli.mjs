// `npm run pack:cli [-- --out DIR]`: the publishable medmask-cli tarball. In the repository
// cli/package.json depends on the library as "file:.." (npm links the clone's own library, which
// the build compiles against and bundles); the tarball carries the built command line (cli/dist,
// from `npm run build`: the library inlined, scripts/bundle-cli.mjs) and the demo case (data/),
// and depends only on the command line's own packages. Prints the tarball's path.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const at = process.argv.indexOf("--out");
const out = resolve(at > 0 ? process.argv[at + 1] : ROOT);
const library = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(ROOT, "cli/package.json"), "utf8"));
if (manifest.version !== library.version) throw new Error(`cli/package.json is version ${manifest.version}, the library ${library.version}: release them together.`);
if (!existsSync(join(ROOT, "cli/dist/main.js"))) throw new Error("cli/dist is not built: run npm run build first.");

const stage = join(ROOT, "build/medmask-cli");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const part of ["bin", "dist", "README.md"]) cpSync(join(ROOT, "cli", part), join(stage, part), { recursive: true });
cpSync(join(ROOT, "LICENSE"), join(stage, "LICENSE"));
cpSync(join(ROOT, "data/totalsegmentator-s0000"), join(stage, "data/totalsegmentator-s0000"), { recursive: true });
const { medmask: _bundled, ...dependencies } = manifest.dependencies;
writeFileSync(join(stage, "package.json"), JSON.stringify({ ...manifest, dependencies }, null, 2) + "\n");

mkdirSync(out, { recursive: true });
const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], { cwd: stage, encoding: "utf8" }));
console.log(join(out, packed.filename));
