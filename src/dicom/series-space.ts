// The grid of an image series (a CT or MR the contours of an RT Structure Set were drawn on):
// its slices sorted along their normal, each of the same rows, columns, pixel spacing and
// orientation, evenly spaced.
import { GeometryError, InputError, MedMaskError, errorOf } from "../errors.js";
import { DEFAULT_MAX_BYTES } from "../limits.js";
import { Space } from "../space.js";
import { parseDicom } from "./parse.js";
import { T } from "./tags.js";

/** How far two slices' spacings may differ, and a position may lie off the stack's line (mm). */
const TOLERANCE = 0.01;

const fail = (message: string) => new InputError("INVALID_ARGUMENT", `{ source }: ${message}`);

/** The series' images as datasets, with what each says about where it lies. */
function imagesOf(sources: unknown) {
  if (!Array.isArray(sources) || sources.length === 0 || !sources.every((s) => s instanceof Uint8Array)) throw fail("takes the bytes of each image of the series, an array of Uint8Array.");
  return sources.map((bytes: Uint8Array, i) => {
    let dataset;
    try {
      dataset = parseDicom(bytes, DEFAULT_MAX_BYTES).dataset;
    } catch (error) {
      if (error instanceof MedMaskError) throw errorOf(error.code, `Source image ${i + 1}: ${error.message}`, { cause: error });
      throw error;
    }
    const position = dataset.numbers(T.ImagePositionPatient, "ImagePositionPatient");
    const orientation = dataset.numbers(T.ImageOrientationPatient, "ImageOrientationPatient");
    const spacing = dataset.numbers(T.PixelSpacing, "PixelSpacing");
    const rows = dataset.uint16(T.Rows), columns = dataset.uint16(T.Columns);
    if (position?.length !== 3 || orientation?.length !== 6 || spacing?.length !== 2 || !rows || !columns) throw fail(`image ${i + 1} has no ImagePositionPatient, ImageOrientationPatient, PixelSpacing, Rows and Columns: not an image of a volume.`);
    return { dataset, position, orientation, spacing, rows, columns, thickness: dataset.numbers(T.SliceThickness, "SliceThickness")?.[0] };
  });
}

/**
 * The `Space` of a series of images (array axes: slices along their normal, rows, columns),
 * and each slice's SOP instance UID. SHAPE_MISMATCH when the images are not one evenly
 * spaced stack of one size, spacing and orientation.
 */
export function seriesSpace(sources: unknown): { space: Space; instances: string[]; frameOfReference: string | undefined } {
  const images = imagesOf(sources);
  const first = images[0]!;
  const [r, c] = [first.orientation.slice(0, 3), first.orientation.slice(3, 6)];
  const normal = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  for (const [i, im] of images.entries()) {
    const same = im.rows === first.rows && im.columns === first.columns && im.orientation.every((v, k) => Math.abs(v - first.orientation[k]!) < 1e-4) && im.spacing.every((v, k) => Math.abs(v - first.spacing[k]!) < 1e-4);
    if (!same) throw new GeometryError("SHAPE_MISMATCH", `Image ${i + 1} of the series differs from the first in its size, orientation or pixel spacing: give the images of one series.`);
  }
  const along = (p: readonly number[]) => p[0]! * normal[0]! + p[1]! * normal[1]! + p[2]! * normal[2]!;
  const sorted = [...images].sort((a, b) => along(a.position) - along(b.position));
  const gaps = sorted.slice(1).map((im, k) => along(im.position) - along(sorted[k]!.position));
  if (gaps.some((g) => g < TOLERANCE)) throw new GeometryError("SHAPE_MISMATCH", "Two images of the series lie at the same position: give one series, each image once.");
  const step = gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : (first.thickness ?? 1);
  if (gaps.some((g) => Math.abs(g - step) > TOLERANCE)) throw new GeometryError("SHAPE_MISMATCH", `The series' slices are not evenly spaced (${gaps.map((g) => +g.toFixed(3)).slice(0, 5).join(", ")} mm apart): a grid needs one spacing.`);
  // Every position on the line from the first along the normal (a tilted gantry's are not).
  for (const [k, im] of sorted.entries()) {
    const expected = sorted[0]!.position.map((v, a) => v + k * step * normal[a]!);
    if (im.position.some((v, a) => Math.abs(v - expected[a]!) > 10 * TOLERANCE)) throw new GeometryError("SHAPE_MISMATCH", `Slice ${k + 1} of the series lies off the line of the others (a tilted or sheared stack): not a grid.`);
  }
  const space = new Space({
    shape: [sorted.length, first.rows, first.columns],
    spacing: [step, first.spacing[0]!, first.spacing[1]!],
    origin: sorted[0]!.position as [number, number, number],
    xOrientation: normal as [number, number, number],
    yOrientation: c as [number, number, number],
    zOrientation: r as [number, number, number],
  });
  return { space, instances: sorted.map((im) => im.dataset.string(T.SOPInstanceUID) ?? ""), frameOfReference: first.dataset.string(T.FrameOfReferenceUID) };
}
