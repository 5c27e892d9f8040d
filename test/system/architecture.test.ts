// The module structure the codebase keeps (issue 18): no import cycle among src/ modules, and
// a browser bundle of the data type alone stays small (no format, codec or zstd decoder).
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "vite";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/files.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SRC = join(ROOT, "src");

/** Every .ts file below `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The src/ modules `file` imports, for values or for types. */
function moduleImports(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  // Type imports count too: a cycle of types is still two modules that cannot be read apart.
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+"(\.[^"]+)";/gm)) {
    const target = resolve(dirname(file), m[4]!.replace(/\.js$/, ".ts"));
    if (known.has(target)) out.push(target);
  }
  return out;
}

/** The strongly connected groups of more than one module (Tarjan): each holds a cycle. */
function cycles(graph: ReadonlyMap<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>(), found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * What a page pays for `SegmentationMask` alone, minified: 96 KB at most. History: 88 KB
 * when first set at 100 KB (40 KB of it the embedded WASM kernels; 265 KB plus a 240 KB zstd
 * chunk before the data type stopped importing the file layer); raised step by step to 122 KB
 * as the third stage's kernel families joined the one WASM module (distance, components,
 * geometry, morphology, surfaces, contours: 53.5 KB of WASM). The families then moved to a
 * module of their own (assembly/families.ts, compiled on first use of a family), leaving the
 * core module at 31 KB: 92.7 KB at the cut.
 */
const MASK_BUNDLE_BUDGET = 96 * 1024;

describe("module structure", () => {
  it("src/ has no import cycle, of values or of types", () => {
    const files = sources(SRC);
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, moduleImports(f, known)]));
    expect(graph.get(join(SRC, "mask.ts"))!.length).toBeGreaterThan(3); // the walk sees imports
    expect(cycles(graph).map((group) => group.map((f) => relative(SRC, f)).sort())).toEqual([]);
  });

  it("finds a cycle when there is one (the check can fail)", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(cycles(graph).map((g) => g.sort())).toEqual([["a", "b", "c"]]);
  });

  it("a browser bundle of SegmentationMask alone stays within its budget, with no other chunk", async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, "entry.js");
    writeFileSync(entry, `import { SegmentationMask, Space } from "medmask";\nconsole.log(new SegmentationMask(new Uint8Array(8).fill(1), { a: 1 }, new Space({ shape: [2, 2, 2] })).labelStats());\n`);
    const result = await build({
      root: dir,
      configFile: false,
      logLevel: "silent",
      resolve: { alias: { medmask: join(ROOT, "dist/index.js") } },
      build: { write: false, minify: true, target: "es2022", rollupOptions: { input: entry } },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as { output: { type: string; code?: string; fileName: string }[] }[];
    const chunks = outputs.flatMap((o) => o.output).filter((c) => c.type === "chunk");
    expect(chunks.map((c) => c.fileName)).toHaveLength(1);
    // The core kernels are in it, the families' module is not (a slice of each one's base64).
    const { WASM_BASE64 } = await import("../../src/kernels/wasm-binary.js");
    const { FAMILIES_WASM_BASE64 } = await import("../../src/kernels/wasm-families-binary.js");
    expect(chunks[0]!.code!.includes(WASM_BASE64.slice(1000, 1100))).toBe(true);
    expect(chunks[0]!.code!.includes(FAMILIES_WASM_BASE64.slice(1000, 1100))).toBe(false);
    console.log(`SegmentationMask alone: ${(chunks[0]!.code!.length / 1024).toFixed(2)} KB`);
    expect(chunks[0]!.code!.length).toBeLessThan(MASK_BUNDLE_BUDGET);
  }, 60_000);
});

describe("page weight", () => {
  it("a page that starts the kernels (initWasm) and decodes native files fetches no zstd WASM: the Python files' decoder and encoder are chunks loaded only when started", async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, "entry.js");
    writeFileSync(entry, `import { initWasm, decodeMask, initZstdDecoder, initZstd } from "medmask";\nawait initWasm();\nconsole.log(decodeMask(new Uint8Array(8)));\nexport const readPython = () => initZstdDecoder();\nexport const writePython = () => initZstd();\n`);
    const result = await build({
      root: dir,
      configFile: false,
      logLevel: "silent",
      resolve: { alias: { medmask: join(ROOT, "dist/index.js") } },
      build: { write: false, minify: true, target: "es2022", rollupOptions: { input: entry, preserveEntrySignatures: "exports-only" } },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as { output: { type: string; fileName: string; isEntry?: boolean; imports?: string[]; moduleIds?: string[] }[] }[];
    const chunks = outputs.flatMap((o) => o.output).filter((c) => c.type === "chunk");
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    // What the page loads at start: the entry and the chunks it imports statically.
    const loaded = new Set<string>();
    const visit = (name: string): void => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const next of byName.get(name)?.imports ?? []) visit(next);
    };
    visit(chunks.find((c) => c.isEntry)!.fileName);
    const modulesOf = (names: Iterable<string>) => [...names].flatMap((n) => byName.get(n)?.moduleIds ?? []);
    const atStart = modulesOf(loaded);
    expect(atStart.some((m) => m.includes("/dist/kernels/wasm-binary.js"))).toBe(true); // the walk sees modules
    expect(atStart.filter((m) => /zstddec|wasm-zstd/.test(m))).toEqual([]);
    const later = modulesOf(chunks.map((c) => c.fileName).filter((n) => !loaded.has(n)));
    expect(later.some((m) => m.includes("zstddec"))).toBe(true);
    expect(later.some((m) => m.includes("wasm-zstd"))).toBe(true);
  }, 60_000);
});

describe("the WASM boundary", () => {
  it("the export tables wasm-instance.ts declares are exactly what the core and families' modules export", async () => {
    const { WASM_BASE64 } = await import("../../src/kernels/wasm-binary.js");
    const { FAMILIES_WASM_BASE64 } = await import("../../src/kernels/wasm-families-binary.js");
    const text = readFileSync(join(SRC, "kernels/wasm-instance.ts"), "utf8");
    for (const [base64, name, least] of [[WASM_BASE64, "CoreExports", 40], [FAMILIES_WASM_BASE64, "FamilyExports", 20]] as const) {
      const module = new WebAssembly.Module(Buffer.from(base64, "base64"));
      const exported = WebAssembly.Module.exports(module).map((e) => e.name).sort();
      const table = new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(text)![1]!;
      const declared = [...table.matchAll(/^ {2}(\w+)[(:]/gm)].map((m) => m[1]!);
      expect(declared.length).toBeGreaterThan(least);
      // The families' module exports the memory it imports; its table leaves it to the core's.
      expect([...declared, ...(name === "FamilyExports" ? ["memory"] : [])].sort()).toEqual(exported);
    }
  });
});

describe("constants shared with AssemblyScript", () => {
  it("the rle-rows header the WASM encoder writes is the size rle-rows.ts gives", async () => {
    const { RLE_HEAD } = await import("../../src/kernels/rle-rows.js");
    const text = readFileSync(join(ROOT, "assembly/codec.ts"), "utf8");
    expect(Number(/const HEAD: usize = (\d+);/.exec(text)![1])).toBe(RLE_HEAD);
  });
});
