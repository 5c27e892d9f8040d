// spacetransformer's operations on Space (SPEC section 13) against the peer's own
// spacetransformer, on random spaces: the same JSON to 1e-9. Where the peer is wrong for
// orientations other than the identity (apply_flip, apply_shape / apply_zoom without
// aligned corners, apply_float_bbox on one-voxel axes), it is compared on identity spaces
// only; space-ops.test.ts holds every orientation to the world instead.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Space, type SpaceJSON } from "../../src/index.js";
import { PythonPeer, hasPythonPeer } from "../helpers/python-peer.js";
import { orientationArb, spaceArb } from "../helpers/spaces.js";

interface Case {
  space: SpaceJSON;
  op: string;
  args: unknown[];
  kwargs?: Record<string, unknown>;
}
type Answer = SpaceJSON | number[] | boolean[] | { error: string };

const identityArb = fc.constant<[[number, number, number], [number, number, number], [number, number, number]]>([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
const axisArb = fc.constantFrom(0, 1, 2);
const bboxArb = (space: Space) =>
  fc.tuple(...space.shape.map((n) => fc.tuple(fc.integer({ min: -3, max: n + 2 }), fc.integer({ min: 1, max: n + 3 })).map(([s, len]) => [s, s + len]))) as fc.Arbitrary<number[][]>;
const floatBboxArb = (space: Space) =>
  fc.tuple(...space.shape.map((n) => fc.tuple(fc.double({ min: -2, max: n, noNaN: true }), fc.double({ min: 0.25, max: n + 2, noNaN: true })).map(([s, len]) => [s, s + len]))) as fc.Arbitrary<number[][]>;
const shapeArb = fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 1, max: 40 })));
/** Aligned corners: the peer's one-voxel axes take the unaligned path, wrong off the identity. */
const manyVoxels = (s: Space): boolean => s.shape.every((n) => n > 1);
const shapeAlignedArb = fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 2, max: 40 })));
const pointsArb = fc.array(fc.tuple(...[0, 1, 2].map(() => fc.double({ min: -20, max: 60, noNaN: true }))), { minLength: 1, maxLength: 5 });

/** One operation, its peer call and ours. */
interface Op {
  name: string;
  /** Whether any orientation may be compared with the peer (else identity spaces only). */
  anyOrientation: boolean;
  /** Spaces the peer takes for this operation (default: all). */
  spaces?: (s: Space) => boolean;
  make(space: Space): fc.Arbitrary<{ peer: Omit<Case, "space">; ours: () => Answer }>;
}

const OPS: Op[] = [
  { name: "applyFlip", anyOrientation: false, make: (s) => axisArb.map((a) => ({ peer: { op: "apply_flip", args: [a] }, ours: () => s.applyFlip(a).toJSON() })) },
  {
    name: "applySwap",
    anyOrientation: true,
    make: (s) => fc.tuple(axisArb, axisArb).filter(([a, b]) => a !== b).map(([a, b]) => ({ peer: { op: "apply_swap", args: [a, b] }, ours: () => s.applySwap(a, b).toJSON() })),
  },
  {
    name: "applyPermute",
    anyOrientation: true,
    make: (s) => fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]).map((o) => ({ peer: { op: "apply_permute", args: [o] }, ours: () => s.applyPermute(o).toJSON() })),
  },
  {
    name: "applyBbox",
    anyOrientation: true,
    make: (s) => fc.tuple(bboxArb(s), fc.boolean()).map(([b, end]) => ({ peer: { op: "apply_bbox", args: [b, end] }, ours: () => s.applyBbox(b, end).toJSON() })),
  },
  {
    name: "applyShape aligned",
    anyOrientation: true,
    spaces: manyVoxels,
    make: (s) => shapeAlignedArb.map((sh) => ({ peer: { op: "apply_shape", args: [sh, true] }, ours: () => s.applyShape(sh, true).toJSON() })),
  },
  { name: "applyShape", anyOrientation: false, make: (s) => shapeArb.map((sh) => ({ peer: { op: "apply_shape", args: [sh, false] }, ours: () => s.applyShape(sh, false).toJSON() })) },
  {
    name: "applySpacing",
    anyOrientation: true,
    spaces: manyVoxels,
    // spacetransformer fails on a singular matrix where an axis ends with one voxel.
    make: (s) =>
      fc
        .tuple(...[0, 1, 2].map(() => fc.double({ min: 0.1, max: 6, noNaN: true })))
        .map((f) => f.map((v, a) => Math.min(v, (s.shape[a]! - 1) * s.spacing[a]!)))
        .map((sp) => ({ peer: { op: "apply_spacing", args: [sp] }, ours: () => s.applySpacing(sp).toJSON() })),
  },
  {
    name: "applySpacing kept",
    anyOrientation: true,
    make: (s) => fc.tuple(...[0, 1, 2].map(() => fc.double({ min: 0.1, max: 6, noNaN: true }))).map((sp) => ({ peer: { op: "apply_spacing", args: [sp, false] }, ours: () => s.applySpacing(sp, false).toJSON() })),
  },
  {
    name: "applyFloatBbox",
    anyOrientation: false,
    make: (s) => fc.tuple(floatBboxArb(s), shapeArb).map(([b, sh]) => ({ peer: { op: "apply_float_bbox", args: [b, sh] }, ours: () => s.applyFloatBbox(b, sh).toJSON() })),
  },
  {
    name: "applyZoom",
    anyOrientation: true,
    spaces: manyVoxels,
    // Factors that leave at least two voxels on each axis (see manyVoxels).
    make: (s) =>
      fc.tuple(fc.oneof(fc.double({ min: 2 / Math.min(...s.shape), max: 4, noNaN: true }), fc.tuple(...s.shape.map((n) => fc.double({ min: 2 / n, max: 4, noNaN: true })))), fc.constantFrom("floor" as const, "round" as const, "ceil" as const)).map(([f, mode]) => ({
        peer: { op: "apply_zoom", args: [f, mode, true] },
        ours: () => s.applyZoom(f, { mode, alignCorners: true }).toJSON(),
      })),
  },
  {
    name: "applyZoom unaligned",
    anyOrientation: false,
    make: (s) => fc.double({ min: 0.1, max: 4, noNaN: true }).map((f) => ({ peer: { op: "apply_zoom", args: [f, "round", false] }, ours: () => s.applyZoom(f, { mode: "round", alignCorners: false }).toJSON() })),
  },
  {
    name: "applyRotate",
    anyOrientation: true,
    make: (s) =>
      fc.tuple(axisArb, fc.double({ min: -400, max: 400, noNaN: true }), fc.constantFrom("degree" as const, "radian" as const), fc.constantFrom("center" as const, "origin" as const)).map(([a, angle, unit, center]) => ({
        peer: { op: "apply_rotate", args: [a, angle, unit, center] },
        ours: () => s.applyRotate(a, angle, { unit, center }).toJSON(),
      })),
  },
  { name: "physicalSpan", anyOrientation: true, make: (s) => fc.constant({ peer: { op: "physical_span", args: [] }, ours: () => [...s.physicalSpan] }) },
  { name: "end", anyOrientation: true, make: (s) => fc.constant({ peer: { op: "end", args: [] }, ours: () => [...s.end] }) },
  { name: "containsIndex", anyOrientation: true, make: (s) => pointsArb.map((p) => ({ peer: { op: "contain_pointset_ind", args: [p] }, ours: () => s.containsIndex(p) })) },
  {
    name: "containsWorld",
    anyOrientation: true,
    // World points near the grid: indices through indexToWorld, a little off the edges.
    make: (s) => pointsArb.map((p) => p.map((q) => [...s.indexToWorld(q.map((v, a) => (v / 40) * (s.shape[a]! + 1) - 0.7))])).map((w) => ({ peer: { op: "contain_pointset_world", args: [w] }, ours: () => s.containsWorld(w) })),
  },
];

/** Numbers equal to 1e-9 (relative above 1), through nested arrays and objects. */
function expectClose(ours: unknown, theirs: unknown, where: string): void {
  if (typeof ours === "number" && typeof theirs === "number") {
    expect(Math.abs(ours - theirs), `${where}: ${ours} vs ${theirs}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theirs)));
  } else if (Array.isArray(ours) && Array.isArray(theirs)) {
    expect(ours.length, where).toBe(theirs.length);
    ours.forEach((v, i) => expectClose(v, theirs[i], `${where}[${i}]`));
  } else if (ours && theirs && typeof ours === "object" && typeof theirs === "object") {
    expect(Object.keys(ours).sort(), where).toEqual(Object.keys(theirs).sort());
    for (const k of Object.keys(ours)) expectClose((ours as Record<string, unknown>)[k], (theirs as Record<string, unknown>)[k], `${where}.${k}`);
  } else {
    expect(ours, where).toEqual(theirs);
  }
}

describe.skipIf(!hasPythonPeer)("Space operations against spacetransformer", () => {
  let peer: PythonPeer;
  beforeAll(() => {
    peer = new PythonPeer();
  });
  afterAll(() => peer.close());

  for (const op of OPS) {
    it(`${op.name}: the same JSON as the peer on random spaces`, async () => {
      const spaces = spaceArb([60, 80, 90], op.anyOrientation ? orientationArb : identityArb).filter(op.spaces ?? (() => true));
      const samples = fc.sample(spaces.chain((s) => op.make(s).map((c) => ({ space: s, ...c }))), { numRuns: 120, seed: 4242 });
      const cases: Case[] = samples.map(({ space, peer: p }) => ({ space: space.toJSON(), ...p }));
      const answers = await peer.call<Answer[]>({ op: "space_ops", cases });
      let compared = 0;
      samples.forEach(({ ours }, i) => {
        const theirs = answers[i]!;
        if ("error" in theirs) throw new Error(`the peer failed (${theirs.error}) on ${JSON.stringify(cases[i])}`);
        expectClose(ours(), theirs, `${op.name} of ${JSON.stringify(cases[i])}`);
        compared++;
      });
      expect(compared).toBe(120);
    });
  }
});
