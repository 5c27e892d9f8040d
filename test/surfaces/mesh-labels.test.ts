// meshLabels (SPEC section 16) on both backends: surfaces in world millimetres (LPS, RAS,
// grids turned and mirrored), closed and facing out in the world, enclosing the organ's
// volume; names, colours, empty labels, layered masks; smoothing that keeps volume and the
// shared boundary of touching organs; decimation by meshoptimizer; the refusals.
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, initMeshSimplifier, meshLabels } from "../../src/index.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";
import { meshFacts } from "../helpers/meshes.js";

/** Two balls touching along a plane and a small cube apart, in a grid turned and mirrored. */
function organs(space: Space): SegmentationMask<string> {
  const [nz, ny, nx] = space.shape;
  const data = new Uint8Array(nz * ny * nx);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if ((x - 10) ** 2 + (y - 11) ** 2 + (z - 9) ** 2 <= 49) data[i] = x < 11 ? 1 : 2;
        if (x >= 20 && x < 23 && y >= 3 && y < 6 && z >= 3 && z < 6) data[i] = 3;
      }
  return new SegmentationMask(data, { left: 1, right: 2, cube: 3, empty: 4 }, space);
}

const turned = new Space({ shape: [18, 22, 26], spacing: [1.5, 0.8, 0.9], origin: [-30, 12, 80] }).applyRotate(0, 25).applyRotate(1, -10);
// Mirrored: x's orientation reversed, so the grid is left-handed in the world.
const mirrored = new Space({ shape: [18, 22, 26], spacing: [1.5, 0.8, 0.9], xOrientation: [-1, 0, 0] });

// First in the file (each file has its own modules): before any test loads the simplifier.
describe("decimate before initMeshSimplifier", () => {
  it("is NOT_INITIALIZED, saying what to await", () => {
    const seg = organs(turned);
    expect(codeOf(() => meshLabels(seg, { decimate: 0.5, names: ["left"] }))).toBe("NOT_INITIALIZED");
  });
});

describe.each(BACKENDS)("meshLabels (%s)", (backend) => {
  useBackend(backend);

  it.each([["turned", turned], ["mirrored", mirrored]] as const)("a %s grid: every surface closed, facing out in the world, enclosing its voxels' volume; vertices in the organ's world box", (_, space) => {
    const seg = organs(space);
    const meshes = meshLabels(seg);
    expect(meshes.map((m) => m.name)).toStrictEqual(["left", "right", "cube"]);
    for (const m of meshes) {
      const facts = meshFacts(m.positions, m.indices);
      expect(facts).toMatchObject({ openEdges: 0, pinchedVertices: 0, unusedVertices: 0, pieces: 1, euler: 2 });
      const stat = seg.labelStats([m.name])[0]!;
      const voxelVolume = stat.voxels * space.voxelVolume;
      expect(facts.volume).toBeGreaterThan(0);
      if (stat.voxels > 500) expect(Math.abs(facts.volume / voxelVolume - 1)).toBeLessThan(0.05);
      // The box's corners in the world, grown by a voxel.
      const { min, max } = stat.bbox!;
      const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => space.indexToWorld([c & 1 ? max[0] + 1 : min[0] - 1, c & 2 ? max[1] + 1 : min[1] - 1, c & 4 ? max[2] + 1 : min[2] - 1]));
      for (let k = 0; k < 3; k++) {
        const lo = Math.min(...corners.map((c) => c[k]!)), hi = Math.max(...corners.map((c) => c[k]!));
        for (let v = k; v < m.positions.length; v += 3) {
          expect(m.positions[v]!).toBeGreaterThanOrEqual(lo - 1e-3);
          expect(m.positions[v]!).toBeLessThanOrEqual(hi + 1e-3);
        }
      }
    }
  });

  it("RAS is LPS with x and y negated; names pick labels; an empty named label gives no triangles; colours from the metadata, else labelColor", () => {
    const seg = organs(turned);
    seg.setMetadata("cube", { color: [0.1, 0.2, 0.3] });
    const lps = meshLabels(seg, { names: ["cube", "empty"] });
    const ras = meshLabels(seg, { names: "cube", coordinates: "RAS" });
    expect(lps.map((m) => m.name)).toStrictEqual(["cube", "empty"]);
    expect(lps[1]!.indices.length).toBe(0);
    expect(lps[0]!.color).toStrictEqual([0.1, 0.2, 0.3]);
    expect(lps[0]!.coordinates).toBe("LPS");
    expect(ras[0]!.coordinates).toBe("RAS");
    for (let v = 0; v < lps[0]!.positions.length; v += 3) {
      expect(ras[0]!.positions[v]).toBeCloseTo(-lps[0]!.positions[v]!, 4);
      expect(ras[0]!.positions[v + 1]).toBeCloseTo(-lps[0]!.positions[v + 1]!, 4);
      expect(ras[0]!.positions[v + 2]).toBeCloseTo(lps[0]!.positions[v + 2]!, 4);
    }
    expect(meshFacts(ras[0]!.positions, ras[0]!.indices).volume).toBeGreaterThan(0);
    expect(meshLabels(seg, { names: ["left"] })[0]!.color).toHaveLength(3);
  });

  it("smoothing keeps each surface closed and its volume within 3%, moves it off the voxel staircase, and keeps the two touching balls' common wall shared", () => {
    const seg = organs(turned);
    const raw = meshLabels(seg, { names: ["left", "right"] });
    const smooth = meshLabels(seg, { names: ["left", "right"], smoothing: 20, normals: true });
    smooth.forEach((m, i) => {
      const before = meshFacts(raw[i]!.positions, raw[i]!.indices), after = meshFacts(m.positions, m.indices);
      expect(after).toMatchObject({ openEdges: 0, pinchedVertices: 0 });
      expect(Math.abs(after.volume / before.volume - 1)).toBeLessThan(0.03);
      expect(m.positions).not.toStrictEqual(raw[i]!.positions);
      expect(m.normals).toHaveLength(m.positions.length);
    });
    // Every vertex of the right ball at a position of the left one's is a shared one: as many after as before.
    const shared = (a: Float32Array, b: Float32Array) => {
      const seen = new Set<string>();
      for (let v = 0; v < a.length; v += 3) seen.add(`${a[v]},${a[v + 1]},${a[v + 2]}`);
      let n = 0;
      for (let v = 0; v < b.length; v += 3) if (seen.has(`${b[v]},${b[v + 1]},${b[v + 2]}`)) n++;
      return n;
    };
    const before = shared(raw[0]!.positions, raw[1]!.positions);
    expect(before).toBeGreaterThan(50);
    expect(shared(smooth[0]!.positions, smooth[1]!.positions)).toBe(before);
  });

  it("decimate takes the share of triangles asked for, after initMeshSimplifier, and the surface stays closed", async () => {
    const seg = organs(turned);
    await initMeshSimplifier();
    const [full] = meshLabels(seg, { names: ["left"], smoothing: 5 });
    const [half] = meshLabels(seg, { names: ["left"], smoothing: 5, decimate: 0.5 });
    const ratio = half!.indices.length / full!.indices.length;
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(0.6);
    const facts = meshFacts(half!.positions, half!.indices);
    expect(facts).toMatchObject({ openEdges: 0, unusedVertices: 0 });
    expect(Math.abs(facts.volume / meshFacts(full!.positions, full!.indices).volume - 1)).toBeLessThan(0.05);
  });

  it("pieces: a mesh per connected piece, largest first, each closed with its own vertices; together the label's mesh", () => {
    const space = new Space({ shape: [10, 10, 20] });
    const data = new Uint8Array(space.voxelCount);
    for (let z = 2; z < 8; z++) for (let y = 2; y < 8; y++) for (let x = 2; x < 8; x++) data[(z * 10 + y) * 20 + x] = 1;
    for (let z = 3; z < 5; z++) for (let y = 3; y < 5; y++) for (let x = 12; x < 15; x++) data[(z * 10 + y) * 20 + x] = 1;
    const seg = new SegmentationMask(data, { liver: 1 }, space);
    const [whole] = meshLabels(seg);
    const parts = meshLabels(seg, { pieces: true, normals: true });
    expect(parts.map((m) => [m.name, m.piece])).toStrictEqual([["liver", 1], ["liver", 2]]);
    expect(parts[0]!.indices.length).toBeGreaterThan(parts[1]!.indices.length);
    expect(parts.reduce((n, m) => n + m.indices.length, 0)).toBe(whole!.indices.length);
    for (const m of parts) {
      expect(meshFacts(m.positions, m.indices)).toMatchObject({ openEdges: 0, pinchedVertices: 0, unusedVertices: 0, pieces: 1 });
      expect(m.normals).toHaveLength(m.positions.length);
    }
    expect(meshFacts(parts[0]!.positions, parts[0]!.indices).volume + meshFacts(parts[1]!.positions, parts[1]!.indices).volume).toBeCloseTo(meshFacts(whole!.positions, whole!.indices).volume, 3);
  });

  it("a layered mask: each label meshed from its own layer, overlapping organs both whole", () => {
    const space = new Space({ shape: [12, 12, 12] });
    const ball = (cx: number) => {
      const r = new Uint8Array(12 ** 3);
      for (let z = 0, i = 0; z < 12; z++) for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++, i++) if ((x - cx) ** 2 + (y - 6) ** 2 + (z - 6) ** 2 <= 12) r[i] = 1;
      return r;
    };
    const layered = new SegmentationMask(new Uint8Array(12 ** 3), {}, space);
    layered.addLabel(ball(5), 1, "a");
    layered.addLabel(ball(7), 2, "b", { onOverlap: "layer" });
    expect(layered.layerCount).toBe(2);
    const [a, b] = meshLabels(layered);
    expect(meshFacts(a!.positions, a!.indices).volume).toBeCloseTo(meshFacts(b!.positions, b!.indices).volume, 3);
  });
});

describe("meshLabels refusals", () => {
  it("refuses what is not a mask, unknown options and names, and out-of-range settings with INVALID_ARGUMENT", () => {
    const seg = organs(turned);
    expect(codeOf(() => meshLabels({} as never))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { smooth: 3 } as never))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { smoothing: -1 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { smoothing: 1.5 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { decimate: 1 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { coordinates: "XYZ" as never }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => meshLabels(seg, { names: ["nope"] }))).toBeDefined();
  });
});
