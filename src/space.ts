import { GeometryError, describeValue } from "./errors.js";
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
   * @example new Space({ shape: [1, 1, 1] }).axisCodes; // ["L", "P", "S"] (identity orientation)
   */
  get axisCodes(): [string, string, string] {
    return [this.xOrientation, this.yOrientation, this.zOrientation].map((d) => {
      const c = [0, 1, 2].reduce((best, i) => (Math.abs(d[i]!) > Math.abs(d[best]!) ? i : best), 0);
      return d[c]! >= 0 ? "LPS"[c]! : "RAI"[c]!;
    }) as [string, string, string];
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

function cross(a: Vec3 | readonly [number, number, number], b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
