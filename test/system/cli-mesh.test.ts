// `medmask mesh IN OUT.(glb|stl|obj|ply)` and `medmask batch mesh`: the surfaces the library
// makes, in the format of the output's extension, a line per organ; names, smoothing,
// decimation and RAS on request; the refusals; a batch on the pool and on a Redis queue.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeMask } from "../../src/node.js";
import { CLI, medmask } from "../helpers/cli.js";
import { tempDir } from "../helpers/files.js";
import { TEST_SECRET, freePort, hasRedis, startRedis } from "../helpers/redis.js";

/** Two touching organs and a third apart. */
function organs(): SegmentationMask<string> {
  const space = new Space({ shape: [14, 16, 18], spacing: [2, 1, 1] });
  const data = new Uint8Array(space.voxelCount);
  for (let z = 0, i = 0; z < 14; z++)
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 18; x++, i++) {
        if ((x - 7) ** 2 + (y - 8) ** 2 + ((z - 7) * 1.5) ** 2 <= 25) data[i] = x < 7 ? 1 : 2;
        if (x > 13 && y < 4 && z < 4) data[i] = 3;
      }
  return new SegmentationMask(data, { liver: 1, spleen: 2, kidney: 3 }, space);
}

/** The GLB's JSON chunk. */
const glbJson = (path: string) => {
  const bytes = readFileSync(path);
  return JSON.parse(bytes.subarray(20, 20 + bytes.readUInt32LE(12)).toString("utf8"));
};

describe("medmask mesh", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "case.msk"), encodeMask(organs()));

  it("a .glb with a named node per organ, a line per organ; --names, --smoothing, --decimate and --coordinates RAS", () => {
    const r = medmask("mesh", join(dir, "case.msk"), join(dir, "all.glb"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^liver: \d+ triangles, \d+ vertices$/m);
    expect(glbJson(join(dir, "all.glb")).nodes.map((n: { name: string }) => n.name)).toStrictEqual(["liver", "spleen", "kidney", "patient (LPS mm)"]);
    const some = medmask("mesh", join(dir, "case.msk"), join(dir, "some.glb"), "--names", "spleen,kidney", "--smoothing", "10", "--decimate", "0.5", "--coordinates", "RAS");
    expect(some.code, some.stderr).toBe(0);
    const json = glbJson(join(dir, "some.glb"));
    expect(json.nodes.map((n: { name: string }) => n.name)).toStrictEqual(["spleen", "kidney", "patient (RAS mm)"]);
    const triangles = (text: string, name: string) => Number(new RegExp(`^${name}: (\\d+) triangles`, "m").exec(text)![1]);
    expect(triangles(some.stdout, "spleen")).toBeLessThan(0.6 * triangles(r.stdout, "spleen"));
  });

  it("STL, OBJ and PLY by extension; an unknown extension, an existing output and a bad --decimate are refused", () => {
    for (const ext of ["stl", "obj", "ply"]) expect(medmask("mesh", join(dir, "case.msk"), join(dir, `out.${ext}`)).code).toBe(0);
    expect(readFileSync(join(dir, "out.stl")).subarray(0, 80).toString("latin1")).toMatch(/^medmask SPACE=LPS/);
    expect(readFileSync(join(dir, "out.obj"), "utf8")).toMatch(/^o spleen$/m);
    expect(readFileSync(join(dir, "out.ply"), "latin1")).toMatch(/^element face \d+$/m);
    const unknown = medmask("mesh", join(dir, "case.msk"), join(dir, "out.vtk"));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/\.glb, \.stl, \.obj or \.ply/);
    expect(medmask("mesh", join(dir, "case.msk"), join(dir, "out.stl")).stderr).toMatch(/already exists/);
    expect(medmask("mesh", join(dir, "case.msk"), join(dir, "x.glb"), "--decimate", "1.5").code).toBe(2);
    // --pieces: the liver and spleen halves are one piece each, as is the kidney.
    const pieces = medmask("mesh", join(dir, "case.msk"), join(dir, "pieces.glb"), "--pieces");
    expect(pieces.code, pieces.stderr).toBe(0);
    expect(glbJson(join(dir, "pieces.glb")).nodes.map((n: { name: string }) => n.name)).toStrictEqual(["liver 1", "spleen 1", "kidney 1", "patient (LPS mm)"]);
  });
});

describe("medmask batch mesh", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "in"));
  for (const name of ["a", "b", "c"]) writeFileSync(join(dir, "in", `${name}.msk`), encodeMask(organs()));

  it("every case's surfaces, one file per case in --to's format, on the pool", () => {
    const r = medmask("batch", "mesh", join(dir, "in"), join(dir, "out"), "--to", "ply", "--smoothing", "5", "--workers", "2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 cases: 3 converted/);
    expect(readdirSync(join(dir, "out")).sort()).toStrictEqual(["a.ply", "b.ply", "c.ply"]);
    expect(medmask("batch", "mesh", join(dir, "in"), join(dir, "bad"), "--to", "msk").code).toBe(2);
  });

  it.skipIf(!hasRedis())("on a Redis queue: the record carries the mesh options to the workers", async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    try {
      const r = spawnSync(process.execPath, [CLI, "batch", "mesh", join(dir, "in"), join(dir, "queued"), "--names", "kidney", "--queue", `redis://127.0.0.1:${port}`, "--workers", "1"], { encoding: "utf8", env: { ...process.env, MEDMASK_QUEUE_SECRET: TEST_SECRET } });
      expect(r.status, r.stderr).toBe(0);
      for (const name of ["a", "b", "c"]) expect(glbJson(join(dir, "queued", `${name}.glb`)).nodes.map((n: { name: string }) => n.name)).toStrictEqual(["kidney", "patient (LPS mm)"]);
    } finally {
      redis.kill();
    }
  }, 60_000);
});
