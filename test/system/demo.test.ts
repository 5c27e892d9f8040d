// The demos a new user runs first: `medmask demo` on any folder, `npm run demo:web` (issue
// 23, item 9).
import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/cli/demo.js";
import { tempDir } from "../helpers/files.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const DATA = join(ROOT, "data/totalsegmentator-s0000");

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("medmask demo", () => {
  it("says what it did on a folder of 4 masks: counts, labels, layers, empty organs, mL with three decimals", async () => {
    const dir = tempDir();
    // hip_left and urinary_bladder share 2 voxels; liver is empty in this scan.
    for (const organ of ["colon", "hip_left", "liver", "urinary_bladder"]) cpSync(join(DATA, `${organ}.nii.gz`), join(dir, `${organ}.nii.gz`));
    const text = await runDemo(dir, () => undefined);
    expect(text).toMatch(/^Read 4 NIfTI masks/);
    expect(text).toMatch(/combine 4 masks \(addLabel\)/);
    expect(text).toMatch(/findOverlaps \(4 binaries\)/);
    // Nothing of the built-in case's 117 organs (a timing may well contain the digits).
    expect(text).not.toMatch(/\b117 (NIfTI masks|masks|binaries|organs)/);
    expect(text).toMatch(/Labels: TotalSegmentator's own class map \(task "total", v2\); 2 layers hold every voxel of every mask/);
    expect(text).toMatch(/Organs with voxels: 3 of 4\n {2}1 file holds no voxel \(the organ is not in this scan; overlaps lose none, they go to layers\): liver\n/);
    expect(text).not.toMatch(/empty in this scan/);
    const rows = text.split("\n").filter((l) => /^(colon|hip_left|urinary_bladder)\s+\d/.test(l));
    expect(rows).toHaveLength(3);
    const ml = rows.map((r) => r.trim().split(/\s+/)[3]!);
    for (const v of ml) expect(v).toMatch(/^\d+\.\d{3}$/);
    expect(ml[0]).toBe("200.154"); // colon: 59,305 voxels of 3.375 mm3 (rounded, not cut)
    expect(text).toMatch(/hip_left\s+urinary_bladder\s+2\n/);
    expect(text).toMatch(/Backends agree on every figure: yes/);
  });

  it("names no pelvis union when the folder has none of its organs", async () => {
    const dir = tempDir();
    cpSync(join(DATA, "colon.nii.gz"), join(dir, "colon.nii.gz"));
    const text = await runDemo(dir, () => undefined);
    expect(text).toMatch(/Union of the pelvis \(hip_left, .*\): none of them in this folder/);
    expect(text).toMatch(/1 layer holds every voxel/);
  });
});

describe("npm run demo:web", () => {
  it("prints the address it serves the page on, and the page is there", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, "web/serve.mjs")], { cwd: ROOT, env: { ...process.env, PORT: String(port) } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no address printed within 20 s: ${out}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const m = /(http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on("exit", (code) => reject(new Error(`serve.mjs exited (${code}): ${out}`)));
      });
      expect(url).toBe(`http://127.0.0.1:${port}/`);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>[^<]*medmask/i);
    } finally {
      child.kill();
    }
  });
});
