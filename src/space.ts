import { GeometryError, InputError, describeValue } from "./errors.js";
import { jsonObject } from "./json.js";

/** Three numbers in the array's axis order (z, y, x) for masks in memory. */
export type Vec3 = readonly [number, number, number];

/** Options of `new Space`; everything but `shape` has the identity default. */
export interface SpaceInit {
  shape: readonly number[];
  spacing?: readonly number[];
  origin?: readonly number[];
  xOrientation?: readonly number[];
  yOrientation?: readonly number[];
  zOrientation?: readonly number[];
}

/** The JSON layout of Python's `spacetransformer.Space` (snake_case keys). */
export interface SpaceJSON {
  shape: number[];
  origin: number[];
  spacing: number[];
  x_orientation: number[];
  y_orientation: number[];
  z_orientation: number[];
}

/** Orientation vectors from float32 NIfTI affines are unit and orthogonal only to ~1e-4. */
const ORTHONORMAL_TOLERANCE = 1e-3;

/**
 * How far the geometry of two files of one case may differ and still be one grid (mm, and
 * direction cosines): float32 noise in NIfTI headers is about 1e-4.
 */
export const SAME_GRID_TOLERANCE = 1e-3;

function vec3(value: readonly number[] | undefined, fallback: Vec3, what: string): Vec3 {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new GeometryError("INVALID_SPACE", `Space ${what} must be an array of 3 numbers, got ${describeValue(value)}.`);
  }
  const v = Array.from(value as ArrayLike<number>);
  if (v.length !== 3 || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    throw new GeometryError("INVALID_SPACE", `Space ${what} must be 3 finite numbers, got ${describeValue(v)}.`);
  }
  // -0 becomes 0: the same position, and JSON (and numpy) would tell them apart.
  return [v[0]! + 0, v[1]! + 0, v[2]! + 0];
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The geometry of a voxel grid, as Python's `spacetransformer.Space`: shape, spacing (mm),
 * origin (world position of voxel 0) and the orientation of each array axis. Axis order
 * is the array order, (z, y, x) for masks in memory; `xOrientation` is the direction of
 * axis 0, `yOrientation` of axis 1, `zOrientation` of axis 2.
 * @example
 * const space = new Space({ shape: [1, 3, 4], spacing: [2.5, 0.8, 0.8] });
 * space.voxelVolume; // 1.6
 */
export class Space {
  readonly shape: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly xOrientation: Vec3;
  readonly yOrientation: Vec3;
  readonly zOrientation: Vec3;

  constructor(init: SpaceInit) {
    if (typeof init !== "object" || init === null) {
      throw new GeometryError("INVALID_SPACE", "new Space() needs an object like { shape: [z, y, x] }.");
    }
    const shape = vec3(init.shape, [0, 0, 0], "shape");
    if (init.shape === undefined || shape.some((n) => !Number.isInteger(n) || n <= 0)) {
      throw new GeometryError(
        "INVALID_SHAPE",
        `Space shape must be 3 positive integers, got ${describeValue(init.shape)}.`,
      );
    }
    const voxels = shape[0] * shape[1] * shape[2];
    if (!Number.isSafeInteger(voxels)) {
      throw new GeometryError("INVALID_SHAPE", `Space shape ${JSON.stringify(shape)} has too many voxels (${voxels}).`);
    }
    this.shape = shape;
    this.spacing = vec3(init.spacing, [1, 1, 1], "spacing");
    if (this.spacing.some((s) => s <= 0)) {
      throw new GeometryError("INVALID_SPACE", `Space spacing must be positive, got ${JSON.stringify(this.spacing)}.`);
    }
    this.origin = vec3(init.origin, [0, 0, 0], "origin");
    this.xOrientation = vec3(init.xOrientation, [1, 0, 0], "xOrientation");
    this.yOrientation = vec3(init.yOrientation, [0, 1, 0], "yOrientation");
    this.zOrientation = vec3(init.zOrientation, [0, 0, 1], "zOrientation");
    const axes = [this.xOrientation, this.yOrientation, this.zOrientation];
    for (let i = 0; i < 3; i++) {
      for (let j = i; j < 3; j++) {
        const expected = i === j ? 1 : 0;
        if (Math.abs(dot(axes[i]!, axes[j]!) - expected) > ORTHONORMAL_TOLERANCE) {
          throw new GeometryError(
            "INVALID_SPACE",
            `Space orientation is not orthonormal (axes ${i} and ${j}: dot product ${dot(axes[i]!, axes[j]!).toFixed(6)}).`,
          );
        }
      }
    }
    Object.freeze(this);
  }

  /** Number of voxels: the product of the shape. */
  get voxelCount(): number {
    return this.shape[0] * this.shape[1] * this.shape[2];
  }

  /** Volume of one voxel in mm^3: the product of the spacing. */
  get voxelVolume(): number {
    return this.spacing[0] * this.spacing[1] * this.spacing[2];
  }

  /**
   * The 4x4 affine from array indices (z, y, x, 1) of this grid to world millimetres in its
   * own frame, LPS (as DICOM and spacetransformer: +x left, +y posterior, +z superior):
   * column a is axis a's orientation times its spacing, the last column the origin.
   * @example new Space({ shape: [2, 3, 4], spacing: [3, 2, 1] }).affine[0]; // [3, 0, 0, 0]
   */
  get affine(): number[][] {
    const o = [this.xOrientation, this.yOrientation, this.zOrientation];
    return [0, 1, 2].map((r) => [o[0]![r]! * this.spacing[0], o[1]![r]! * this.spacing[1], o[2]![r]! * this.spacing[2], this.origin[r]!]).concat([[0, 0, 0, 1]]);
  }

  /**
   * The affine as nibabel gives it (`img.affine`): from NIfTI voxel indices (i, j, k) =
   * (x, y, z), the reverse of the array order, to RAS millimetres (+x right, +y anterior).
   * @example space.rasAffine; // what nibabel.load(path).affine holds for the same file
   */
  get rasAffine(): number[][] {
    const xyz = this.reverseAxisOrder().affine;
    for (const r of [0, 1]) xyz[r] = xyz[r]!.map((v) => -v);
    return xyz;
  }

  /**
   * For each array axis (z, y, x order), the letter of the patient direction its index
   * increases toward (L/R, P/A, S/I, from the dominant component of its orientation in LPS),
   * as nibabel's `aff2axcodes` names axes. A usual axial CT read from NIfTI is ["S", "A", "R"].
   * A grid that is not axis-aligned gets the closest codes: the assignment of the three world
   * axes that keeps the most of its orientation (an exact tie, a grid turned exactly half
   * way, goes to the first assignment in array order).
   * @example new Space({ shape: [1, 1, 1] }).axisCodes; // ["L", "P", "S"] (identity orientation)
   */
  get axisCodes(): [string, string, string] {
    const axes = this.#axes;
    // The world axis of each array axis: the assignment of the three that keeps the most of
    // the orientation (a grid turned 45 degrees still gets three different letters).
    let best = PERMUTATIONS[0]!, score = -1;
    for (const p of PERMUTATIONS) {
      const s = Math.abs(axes[0]![p[0]]!) + Math.abs(axes[1]![p[1]]!) + Math.abs(axes[2]![p[2]]!);
      if (s > score + 1e-12) [best, score] = [p, s];
    }
    return axes.map((d, a) => (d[best[a]!]! >= 0 ? "LPS" : "RAI")[best[a]!]!) as [string, string, string];
  }

  /**
   * The axes as a person reads them: `axis 0 (z): inferior -> superior`, one per array axis.
   * @example space.describeAxes().join("; ")
   */
  describeAxes(): string[] {
    const word: Record<string, string> = { L: "left", R: "right", P: "posterior", A: "anterior", S: "superior", I: "inferior" };
    const opposite: Record<string, string> = { L: "R", R: "L", P: "A", A: "P", S: "I", I: "S" };
    return this.axisCodes.map((code, a) => `axis ${a} (${"zyx"[a]}): ${word[opposite[code]!]} -> ${word[code]}`);
  }

  /**
   * The same grid with the axis order reversed ((x, y, z) <-> (z, y, x)): shape, spacing
   * and origin reversed, x and z orientation swapped. Python medmask files store this form.
   */
  reverseAxisOrder(): Space {
    const rev = (v: Vec3): Vec3 => [v[2], v[1], v[0]];
    return new Space({
      shape: rev(this.shape),
      spacing: rev(this.spacing),
      origin: this.origin,
      xOrientation: this.zOrientation,
      yOrientation: this.yOrientation,
      zOrientation: this.xOrientation,
    });
  }

  /**
   * World position (mm) of a (possibly fractional) voxel index in array axis order:
   * origin + sum over axes of index * spacing * orientation.
   */
  indexToWorld(index: readonly number[]): Vec3 {
    const [i, j, k] = vec3(index, [0, 0, 0], "index");
    const a = [i * this.spacing[0], j * this.spacing[1], k * this.spacing[2]];
    const o = [this.xOrientation, this.yOrientation, this.zOrientation];
    return [0, 1, 2].map((r) => this.origin[r]! + a[0]! * o[0]![r]! + a[1]! * o[1]![r]! + a[2]! * o[2]![r]!) as unknown as Vec3;
  }

  /** Voxel index (fractional) of a world position: the inverse of `indexToWorld`. */
  worldToIndex(world: readonly number[]): Vec3 {
    const w = vec3(world, [0, 0, 0], "world point");
    const d = [w[0] - this.origin[0], w[1] - this.origin[1], w[2] - this.origin[2]] as const;
    // Solve M a = d with M's columns the orientations; the exact inverse, not the transpose,
    // because float32-derived orientations are only nearly orthonormal.
    const [c0, c1, c2] = [this.xOrientation, this.yOrientation, this.zOrientation];
    const det = dot(c0, cross(c1, c2));
    const a = [dot(d, cross(c1, c2)) / det, dot(c0, cross(d, c2)) / det, dot(c0, cross(c1, d)) / det];
    return [a[0]! / this.spacing[0], a[1]! / this.spacing[1], a[2]! / this.spacing[2]];
  }

  /** The orientation vectors, one per array axis: the columns of the direction matrix. */
  get #axes(): [Vec3, Vec3, Vec3] {
    return [this.xOrientation, this.yOrientation, this.zOrientation];
  }

  /** A space with these fields changed and the rest kept. */
  #with(change: Partial<{ shape: Vec3; spacing: Vec3; origin: Vec3; axes: readonly Vec3[] }>): Space {
    const axes = change.axes ?? this.#axes;
    return new Space({ shape: change.shape ?? this.shape, spacing: change.spacing ?? this.spacing, origin: change.origin ?? this.origin, xOrientation: axes[0]!, yOrientation: axes[1]!, zOrientation: axes[2]! });
  }

  /** `origin` moved by `steps[a]` voxels along each axis a (fractional steps too). */
  #shifted(steps: readonly number[]): Vec3 {
    return add3(this.origin, this.#direction(steps));
  }

  /** The world vector of `steps[a]` voxels along each axis a: R diag(spacing) steps. */
  #direction(steps: readonly number[]): Vec3 {
    const o = this.#axes;
    return [0, 1, 2].map((r) => o[0]![r]! * this.spacing[0] * steps[0]! + o[1]![r]! * this.spacing[1] * steps[1]! + o[2]![r]! * this.spacing[2] * steps[2]!) as unknown as Vec3;
  }

  /**
   * The world vector from the first voxel's centre to the last's (spacetransformer's
   * `physical_span`): R diag(spacing) (shape - 1).
   * @example new Space({ shape: [50, 100, 100], spacing: [2, 1, 1] }).physicalSpan; // [98, 99, 99]
   */
  get physicalSpan(): Vec3 {
    return this.#direction(this.shape.map((n) => n - 1));
  }

  /**
   * World position of the last voxel's centre (spacetransformer's `end`): origin + physicalSpan.
   * @example new Space({ shape: [2, 2, 2], origin: [10, 20, 30] }).end; // [11, 21, 31]
   */
  get end(): Vec3 {
    return add3(this.origin, this.physicalSpan);
  }

  /**
   * The space with array axis `axis` reversed (spacetransformer's `apply_flip`): its
   * orientation negated and the origin moved to the far end, so a flipped index is the same
   * world point. spacetransformer moves only `origin[axis]`, which is the same point only
   * when the orientation is the identity; this keeps the world for every orientation.
   * @example new Space({ shape: [1, 1, 100] }).applyFlip(2).origin; // [0, 0, 99]
   */
  applyFlip(axis: number): Space {
    const a = checkAxis(axis, "applyFlip");
    const steps = [0, 0, 0];
    steps[a] = this.shape[a] - 1;
    return this.#with({ origin: this.#shifted(steps), axes: this.#axes.map((v, k) => (k === a ? neg3(v) : v)) });
  }

  /**
   * The space with two array axes exchanged (spacetransformer's `apply_swap`): `applyPermute`
   * of the swap.
   * @example new Space({ shape: [50, 200, 100] }).applySwap(0, 2).shape; // [100, 200, 50]
   */
  applySwap(axis1: number, axis2: number): Space {
    const a = checkAxis(axis1, "applySwap"), b = checkAxis(axis2, "applySwap");
    if (a === b) throw new InputError("INVALID_ARGUMENT", `applySwap takes two different axes, got ${a} twice.`);
    const order = [0, 1, 2];
    [order[a], order[b]] = [b, a];
    return this.applyPermute(order);
  }

  /**
   * The space with its array axes in `order` (spacetransformer's `apply_permute`): new axis
   * k is old axis `order[k]`; shape, spacing and orientation follow, the origin stays.
   * @example new Space({ shape: [50, 200, 100] }).applyPermute([2, 0, 1]).shape; // [100, 50, 200]
   */
  applyPermute(order: readonly number[]): Space {
    const p = checkPermutation(order, "applyPermute");
    const pick = (v: Vec3): Vec3 => [v[p[0]], v[p[1]], v[p[2]]];
    return this.#with({ shape: pick(this.shape), spacing: pick(this.spacing), axes: p.map((k) => this.#axes[k]!) });
  }

  /**
   * The space of the box `bbox` (`[[start, end], x3]` in array axes, end exclusive, or
   * inclusive with `includeEnd`) of this grid (spacetransformer's `apply_bbox`): the origin
   * moves to the box's first voxel. Starts below 0 and ends beyond the shape describe a
   * padded grid.
   * @example new Space({ shape: [100, 100, 100] }).applyBbox([[10, 20], [0, 100], [5, 50]]).shape; // [10, 100, 45]
   */
  applyBbox(bbox: readonly (readonly number[])[], includeEnd = false): Space {
    const box = checkBbox(bbox, true, "applyBbox");
    const shape = box.map(([s, e]) => e - s + (includeEnd ? 1 : 0)) as unknown as Vec3;
    return this.#with({ shape, origin: this.#shifted(box.map(([s]) => s)) });
  }

  /**
   * The same physical region on a grid of `shape` (spacetransformer's `apply_shape`). With
   * `alignCorners` (the default) the first and last voxel centres stay put, on axes where
   * neither shape is 1; otherwise the outer faces of the grid stay put and the origin moves
   * half a voxel's change inwards. spacetransformer moves that origin through the
   * transposed orientation; this moves it along the axes themselves, so the faces stay put
   * for every orientation.
   * @example new Space({ shape: [100, 100, 50], spacing: [1, 1, 2] }).applyShape([199, 199, 99]).spacing; // [0.5, 0.5, 1]
   */
  applyShape(shape: readonly number[], alignCorners = true): Space {
    const next = checkShape(shape, "applyShape");
    const aligned = [0, 1, 2].map((a) => alignCorners && next[a] !== 1 && this.shape[a] !== 1);
    const spacing = [0, 1, 2].map((a) => (aligned[a]! ? (this.spacing[a]! * (this.shape[a]! - 1)) / (next[a]! - 1) : (this.spacing[a]! * this.shape[a]!) / next[a]!)) as unknown as Vec3;
    // The faces stay: origin - spacing/2 along each unaligned axis is the same before and after.
    const steps = [0, 1, 2].map((a) => (aligned[a]! ? 0 : (0.5 * (spacing[a]! - this.spacing[a]!)) / this.spacing[a]!));
    return this.#with({ shape: next, spacing, origin: this.#shifted(steps) });
  }

  /**
   * The same physical extent at about `spacing` mm (spacetransformer's `apply_spacing`): the
   * shape is the span over the new spacing, rounded half to even as numpy does, plus one;
   * with `recomputeSpacing` (the default) the spacing is then adjusted so the first and last
   * voxel centres stay exactly where they were (an axis of one voxel keeps the spacing
   * asked, where spacetransformer fails on a singular matrix).
   * @example new Space({ shape: [100, 100, 50], spacing: [1, 1, 2] }).applySpacing([0.5, 0.5, 1]).shape; // [199, 199, 99]
   */
  applySpacing(spacing: readonly number[], recomputeSpacing = true): Space {
    const wanted = vec3(spacing, [1, 1, 1], "spacing");
    if (wanted.some((s) => s <= 0)) throw new GeometryError("INVALID_SPACE", `applySpacing takes positive spacings, got ${JSON.stringify(wanted)}.`);
    const shape = [0, 1, 2].map((a) => roundHalfEven(((this.shape[a]! - 1) * this.spacing[a]!) / wanted[a]!) + 1) as unknown as Vec3;
    const exact = [0, 1, 2].map((a) => (recomputeSpacing && shape[a]! > 1 ? ((this.shape[a]! - 1) * this.spacing[a]!) / (shape[a]! - 1) : wanted[a]!)) as unknown as Vec3;
    return this.#with({ shape, spacing: exact });
  }

  /**
   * The region `bbox` (fractional voxel coordinates, `[[start, end], x3]`) on a grid of
   * `shape` (spacetransformer's `apply_float_bbox`): voxel 0 at the box's start, the last at
   * its end; an axis of one voxel sits at the box's middle with the spacing of the whole.
   * @example new Space({ shape: [10, 10, 10] }).applyFloatBbox([[0, 9], [0, 9], [0, 9]], [4, 4, 4]).spacing; // [3, 3, 3]
   */
  applyFloatBbox(bbox: readonly (readonly number[])[], shape: readonly number[]): Space {
    const box = checkBbox(bbox, false, "applyFloatBbox");
    const next = checkShape(shape, "applyFloatBbox");
    const single = next.map((n) => n === 1);
    const spacing = [0, 1, 2].map((a) => (single[a]! ? (this.spacing[a]! * this.shape[a]!) / next[a]! : (this.spacing[a]! * (box[a]![1] - box[a]![0])) / (next[a]! - 1))) as unknown as Vec3;
    const steps = box.map(([s, e], a) => s + (single[a] ? (e - s) / 2 : 0));
    return this.#with({ shape: next, spacing, origin: this.#shifted(steps) });
  }

  /**
   * The grid scaled by `factor` (one number or one per axis; spacetransformer's
   * `apply_zoom`): the shape times the factor, floored, rounded (half to even) or ceiled by
   * `mode`, at least 1; then `applyShape` with `alignCorners`.
   * @example new Space({ shape: [100, 100, 50] }).applyZoom(0.5, { mode: "round" }).shape; // [50, 50, 25]
   */
  applyZoom(factor: number | readonly number[], options: { mode?: "floor" | "round" | "ceil"; alignCorners?: boolean } = {}): Space {
    const { mode = "floor", alignCorners = true } = options;
    const round = { floor: Math.floor, round: roundHalfEven, ceil: Math.ceil }[mode];
    if (!round) throw new InputError("INVALID_ARGUMENT", `applyZoom mode must be "floor", "round" or "ceil", got ${describeValue(mode)}.`);
    const f = typeof factor === "number" ? [factor, factor, factor] : Array.from(factor);
    if (f.length !== 3 || f.some((x) => typeof x !== "number" || !Number.isFinite(x) || x <= 0)) {
      throw new InputError("INVALID_ARGUMENT", `applyZoom takes a positive factor or three, got ${describeValue(factor)}.`);
    }
    return this.applyShape(this.shape.map((n, a) => Math.max(1, round(n * f[a]!))), alignCorners);
  }

  /**
   * The grid rotated by `angle` about array axis `axis` (spacetransformer's `apply_rotate`):
   * the orientation R becomes R Rot(axis, angle); with `center: "center"` (the default) the
   * grid turns about its centre, with `"origin"` about its first voxel.
   * @example new Space({ shape: [100, 100, 50] }).applyRotate(2, 90).xOrientation; // ~[0, 1, 0]
   */
  applyRotate(axis: number, angle: number, options: { unit?: "degree" | "radian"; center?: "center" | "origin" } = {}): Space {
    const a = checkAxis(axis, "applyRotate");
    const { unit = "degree", center = "center" } = options;
    if (unit !== "degree" && unit !== "radian") throw new InputError("INVALID_ARGUMENT", `applyRotate unit must be "degree" or "radian", got ${describeValue(unit)}.`);
    if (center !== "center" && center !== "origin") throw new InputError("INVALID_ARGUMENT", `applyRotate center must be "center" or "origin", got ${describeValue(center)}.`);
    if (typeof angle !== "number" || !Number.isFinite(angle)) throw new InputError("INVALID_ARGUMENT", `applyRotate takes a finite angle, got ${describeValue(angle)}.`);
    const rad = unit === "radian" ? angle : (angle / 180) * Math.PI;
    const c = Math.cos(rad), s = Math.sin(rad);
    const rot = [
      [[1, 0, 0], [0, c, -s], [0, s, c]],
      [[c, 0, s], [0, 1, 0], [-s, 0, c]],
      [[c, -s, 0], [s, c, 0], [0, 0, 1]],
    ][a]!;
    const old = this.#axes;
    // Column j of R Rot is the sum over k of old column k times Rot[k][j].
    const axes = [0, 1, 2].map((j) => [0, 1, 2].map((r) => old[0]![r]! * rot[0]![j]! + old[1]![r]! * rot[1]![j]! + old[2]![r]! * rot[2]![j]!) as unknown as Vec3);
    if (center === "origin") return this.#with({ axes });
    const turned = this.#with({ axes });
    const middle = add3(this.origin, scale3(this.physicalSpan, 0.5));
    return turned.#with({ origin: add3(middle, scale3(turned.physicalSpan, -0.5)) });
  }

  /**
   * For each index point (array axes, fractional too), whether it lies on the grid: every
   * coordinate between 0 and shape - 1 (spacetransformer's `contain_pointset_ind`).
   * @example new Space({ shape: [50, 100, 100] }).containsIndex([[10, 20, 30], [60, 0, 0]]); // [true, false]
   */
  containsIndex(points: readonly (readonly number[])[]): boolean[] {
    return checkPoints(points, "containsIndex").map((p) => p.every((v, a) => v >= 0 && v <= this.shape[a]! - 1));
  }

  /**
   * For each world point (mm, LPS), whether its index lies on the grid (spacetransformer's
   * `contain_pointset_world`).
   * @example new Space({ shape: [50, 100, 100] }).containsWorld([[10, 20, 30]]); // [true]
   */
  containsWorld(points: readonly (readonly number[])[]): boolean[] {
    return this.containsIndex(checkPoints(points, "containsWorld").map((p) => this.worldToIndex(p)));
  }

  /** Same geometry (to `tolerance` on spacing, origin and orientation). */
  equals(other: Space, tolerance = 1e-6): boolean {
    const close = (a: Vec3, b: Vec3): boolean => a.every((x, i) => Math.abs(x - b[i]!) <= tolerance);
    return (
      this.shape.every((n, i) => n === other.shape[i]) &&
      close(this.spacing, other.spacing) &&
      close(this.origin, other.origin) &&
      close(this.xOrientation, other.xOrientation) &&
      close(this.yOrientation, other.yOrientation) &&
      close(this.zOrientation, other.zOrientation)
    );
  }

  /** The spacetransformer JSON layout (key order as Python writes it). */
  toJSON(): SpaceJSON {
    return {
      shape: [...this.shape],
      origin: [...this.origin],
      spacing: [...this.spacing],
      x_orientation: [...this.xOrientation],
      y_orientation: [...this.yOrientation],
      z_orientation: [...this.zOrientation],
    };
  }

  /**
   * Parses spacetransformer JSON (a string or an object); missing keys take their defaults.
   * @example Space.fromJSON('{"shape":[1,3,4]}').shape // [1, 3, 4]
   */
  static fromJSON(json: string | Partial<SpaceJSON>): Space {
    const o = jsonObject(json, "Space", '{"shape": [z, y, x], ...}') as Partial<SpaceJSON>;
    return new Space({
      shape: o.shape as number[],
      spacing: o.spacing,
      origin: o.origin,
      xOrientation: o.x_orientation,
      yOrientation: o.y_orientation,
      zOrientation: o.z_orientation,
    });
  }
}

/** The six orders of three axes. */
const PERMUTATIONS: ReadonlyArray<readonly [number, number, number]> = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

const add3 = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale3 = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const neg3 = (a: Vec3): Vec3 => [-a[0] + 0, -a[1] + 0, -a[2] + 0];

/** numpy's `round`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

function checkAxis(axis: unknown, what: string): 0 | 1 | 2 {
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new InputError("INVALID_ARGUMENT", `${what} takes an array axis 0, 1 or 2 (0 is the first entry of shape), got ${describeValue(axis)}.`);
  return axis;
}

function checkPermutation(order: unknown, what: string): [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2] {
  const o = Array.isArray(order) ? (order as unknown[]) : [];
  if (o.length !== 3 || [0, 1, 2].some((a) => !o.includes(a))) throw new InputError("INVALID_ARGUMENT", `${what} takes an order of the axes 0, 1 and 2 (like [2, 1, 0]), got ${describeValue(order)}.`);
  return o as [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2];
}

function checkShape(shape: unknown, what: string): Vec3 {
  const s = Array.isArray(shape) || ArrayBuffer.isView(shape) ? Array.from(shape as ArrayLike<unknown>) : [];
  if (s.length !== 3 || s.some((n) => typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0)) throw new GeometryError("INVALID_SHAPE", `${what} takes a shape of 3 positive integers, got ${describeValue(shape)}.`);
  return s as unknown as Vec3;
}

/** `[[start, end], x3]`, end above start on each axis; integers where `integers`. */
function checkBbox(bbox: unknown, integers: boolean, what: string): Array<[number, number]> {
  const rows = Array.isArray(bbox) ? (bbox as unknown[]) : [];
  const ok = rows.length === 3 && rows.every((r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number" && Number.isFinite(v) && (!integers || Number.isInteger(v))) && (r[1] as number) > (r[0] as number));
  if (!ok) throw new InputError("INVALID_ARGUMENT", `${what} takes a box [[start, end], [start, end], [start, end]] of ${integers ? "integers" : "numbers"} (array axes, end exclusive, end above start), got ${describeValue(bbox)}.`);
  return rows as Array<[number, number]>;
}

function checkPoints(points: unknown, what: string): Vec3[] {
  if (!Array.isArray(points)) throw new InputError("INVALID_ARGUMENT", `${what} takes a list of points [[a, b, c], ...], got ${describeValue(points)}.`);
  return points.map((p) => vec3(p as readonly number[], [0, 0, 0], "point"));
}

function cross(a: Vec3 | readonly [number, number, number], b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
