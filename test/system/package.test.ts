// The packages as users install them (issue 23, item 10): the library alone for code that
// imports it (no command-line packages, no demo data, no install script, source maps that
// resolve), and medmask-cli for the command line. Consumers are laid out from the packed
// tarballs with their dependencies linked from this clone's node_modules by the lockfile,
// so the check needs no registry.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/files.js";

const ROOT = new URL("../../", import.meta.url).pathname;
// meshoptimizer: meshLabels' decimation (imported on first use, so a page that never decimates bundles none of it).
const LIBRARY_DEPENDENCIES = ["@hpcc-js/wasm-zstd", "fflate", "fzstd", "meshoptimizer", "nifti-reader-js", "zstddec"];
const CLI_PACKAGES = ["commander", "cli-progress", "piscina", "bullmq", "ioredis"];
/**
 * What installing the library may add to a consumer's node_modules, at most: 5 MiB (3.7 MiB
 * when this was set at 4.5 MiB: the library 1.7 MB unpacked, its sources and maps included,
 * and five packages; it was 11 MB and 36 packages with the command line's). Raised to 5 MiB
 * with the third stage's operations and formats (compare, clean, geometry, MetaImage, NRRD,
 * GIPL, label tables: 4.82 MB then, after the embedded WASM's declaration stopped repeating
 * the module). Raised to 5.5 MiB with the surfaces: meshoptimizer (0.36 MB; meshLabels imports
 * its simplifier on first use, for decimation) and the surfaces family (5.43 MB then). The
 * packages are 2.44 MB of it; three of them are zstd (one decoder in JS, one in WASM, an
 * encoder), and consolidating them is the way back under 5 MiB.
 */
const LIBRARY_INSTALL_BUDGET = 5.5 * 1024 * 1024;

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  link?: boolean;
}
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };

/** The lockfile paths of `names` and of everything they depend on, as Node would find them. */
function closure(names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (name: string, from: string, optional: boolean) => {
    let dir = from;
    for (;;) {
      const path = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (lock.packages[path]) {
        if (found.has(path)) return;
        found.add(path);
        const entry = lock.packages[path]!;
        for (const d of Object.keys(entry.dependencies ?? {})) visit(d, path, false);
        for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(d, path, true);
        return;
      }
      if (!dir) break;
      dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "";
    }
    if (!optional) throw new Error(`${name} (needed by ${from || "the root"}) is not in the lockfile`);
  };
  for (const name of names) visit(name, "", false);
  return found;
}

/** Bytes of the files below `path`. */
const sizeOf = (path: string): number => Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);

/** Unpacks a tarball to `node_modules/<name>` of `consumer`. */
function unpack(tarball: string, consumer: string, name: string): void {
  const tmp = tempDir();
  execFileSync("tar", ["xzf", tarball, "-C", tmp]);
  mkdirSync(dirname(join(consumer, "node_modules", name)), { recursive: true });
  renameSync(join(tmp, "package"), join(consumer, "node_modules", name));
}

/** Links the top-level packages of `paths` (lockfile paths) from this clone into `consumer`. */
function linkDependencies(paths: Iterable<string>, consumer: string): void {
  for (const path of paths) {
    if (path.lastIndexOf("node_modules/") !== 0) continue; // nested ones come inside their parent
    const target = join(consumer, path);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(ROOT, path), target);
  }
}

let libraryTarball = "";
let libraryFiles: string[] = [];
let cliTarball = "";

describe("the packages users install", () => {
  beforeAll(() => {
    const out = tempDir();
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], { cwd: ROOT, encoding: "utf8" })) as { filename: string; files: { path: string }[] }[];
    libraryTarball = join(out, packed!.filename);
    libraryFiles = packed!.files.map((f) => f.path);
    cliTarball = execFileSync(process.execPath, [join(ROOT, "scripts/pack-cli.mjs"), "--out", out], { encoding: "utf8" }).trim();
  }, 120_000);

  it("the library ships its code, types, TypeScript sources, docs and licence; no demo data, no command line", () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/internals.js", "src/index.ts", "src/mask.ts", "docs/FORMAT.md", "README.md", "LICENSE"]) expect(libraryFiles, file).toContain(file);
    expect(libraryFiles.filter((f) => f.startsWith("data/") || f.startsWith("dist/cli/") || f.startsWith("src/cli/") || f.startsWith("cli/") || f.startsWith("web/"))).toEqual([]);
    const manifest = JSON.parse(execFileSync("tar", ["xzOf", libraryTarball, "package/package.json"], { encoding: "utf8" })) as { bin?: unknown; scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(manifest.bin).toBeUndefined();
    expect(Object.keys(manifest.dependencies).sort()).toEqual(LIBRARY_DEPENDENCIES);
    // Nothing runs at a consumer's install (a prepare script made npm warn about it).
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts[hook], hook).toBeUndefined();
  });

  it("every source map in the library points at a file it ships", () => {
    const shipped = new Set(libraryFiles);
    const maps = libraryFiles.filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), "utf8")) as { sources: string[] };
      for (const source of sources) expect(shipped.has(posix.normalize(posix.join(posix.dirname(map), source))), `${map} -> ${source}`).toBe(true);
    }
  });

  it("installing the library brings none of the command line's packages, within its size budget", () => {
    const paths = closure(LIBRARY_DEPENDENCIES);
    const names = [...paths].map((p) => p.slice(p.lastIndexOf("node_modules/") + 13));
    for (const name of [...CLI_PACKAGES, "@napi-rs/nice", "msgpackr-extract"]) expect(names, name).not.toContain(name);
    const bytes = [...paths].filter((p) => p.lastIndexOf("node_modules/") === 0).reduce((n, p) => n + sizeOf(join(ROOT, p)), 0);
    const unpacked = tempDir();
    unpack(libraryTarball, unpacked, "medmask");
    const total = bytes + sizeOf(join(unpacked, "node_modules/medmask"));
    expect(total).toBeLessThan(LIBRARY_INSTALL_BUDGET);
  });

  it("a consumer with the library alone imports it (ESM and require) and has no command line", () => {
    const consumer = tempDir();
    unpack(libraryTarball, consumer, "medmask");
    linkDependencies(closure(LIBRARY_DEPENDENCIES), consumer);
    const esm = `import { SegmentationMask, Space, encodeMask, decodeMask } from "medmask";
      const seg = new SegmentationMask(Uint8Array.of(0, 1, 1, 2), { liver: 1, spleen: 2 }, new Space({ shape: [1, 2, 2] }));
      console.log(decodeMask(encodeMask(seg)).labelStats().map((s) => s.name + ":" + s.voxels).join(","));`;
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", esm], { cwd: consumer, encoding: "utf8" }).trim()).toBe("liver:2,spleen:1");
    expect(execFileSync(process.execPath, ["-e", `console.log(typeof require("medmask").loadMask)`], { cwd: consumer, encoding: "utf8" }).trim()).toBe("function");
    expect(existsSync(join(consumer, "node_modules/medmask/dist/cli"))).toBe(false);
  });

  it("medmask-cli brings the command line: the library inlined (its own packages alone installed beside it), its bin runs the demo on the case it ships", () => {
    const consumer = tempDir();
    unpack(cliTarball, consumer, "medmask-cli");
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules/medmask-cli/package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(manifest.version).toBe(version);
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...CLI_PACKAGES].sort());
    linkDependencies(closure([...CLI_PACKAGES]), consumer);
    // Not the library, nor any of its packages: the bundle holds what it uses of them.
    for (const name of ["medmask", ...LIBRARY_DEPENDENCIES]) expect(existsSync(join(consumer, "node_modules", name)), name).toBe(false);
    const bin = join(consumer, "node_modules/medmask-cli", manifest.bin.medmask!);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect(execFileSync(bin, ["--version"], { cwd: consumer, encoding: "utf8" }).trim()).toBe(version);
    const demo = execFileSync(bin, ["demo"], { cwd: consumer, encoding: "utf8" });
    expect(demo).toContain(`Read 117 NIfTI masks from ${join(consumer, "node_modules/medmask-cli/data/totalsegmentator-s0000/")}`);
    expect(demo).toMatch(/Backends agree on every figure: yes/);
    // Its source maps carry their sources (the package ships no src/), the command line's and the library's.
    const map = JSON.parse(readFileSync(join(consumer, "node_modules/medmask-cli/dist/main.js.map"), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
    expect(map.sourcesContent?.length).toBe(map.sources.length);
    expect(map.sources.some((s) => s.endsWith("src/cli/program.ts"))).toBe(true);
    expect(map.sources.every((s, i) => s.includes("node_modules/") || (map.sourcesContent![i] ?? "").length > 0)).toBe(true);
  }, 60_000);
});
