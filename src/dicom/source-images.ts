import { GeometryError, InputError, MedMaskError, errorOf } from "../errors.js";
import { DEFAULT_MAX_BYTES } from "../limits.js";
import type { Space } from "../space.js";
import { parseDicom, tag, type DicomDataset } from "./parse.js";
import { T } from "./tags.js";
import type { DicomElements } from "./write.js";

// The source series a SEG is made from (PS3.3 C.8.20: a SEG shares its images' frame of
// reference, study and patient, and each frame says which image it was derived from), read
// from the images' own bytes and matched to the mask's slices by position.

/** The Patient, General Study and Frame of Reference attributes a SEG copies from its images, with their VRs. */
const COPIED: readonly [number, string][] = [
  [tag(0x0008, 0x0020), "DA"], // StudyDate
  [tag(0x0008, 0x0030), "TM"], // StudyTime
  [tag(0x0008, 0x0050), "SH"], // AccessionNumber
  [tag(0x0008, 0x0090), "PN"], // ReferringPhysicianName
  [tag(0x0008, 0x1030), "LO"], // StudyDescription
  [tag(0x0010, 0x0010), "PN"], // PatientName
  [tag(0x0010, 0x0020), "LO"], // PatientID
  [tag(0x0010, 0x0030), "DA"], // PatientBirthDate
  [tag(0x0010, 0x0040), "CS"], // PatientSex
  [T.StudyInstanceUID, "UI"],
  [tag(0x0020, 0x0010), "SH"], // StudyID
  [T.FrameOfReferenceUID, "UI"],
  [T.PositionReferenceIndicator, "LO"],
];

/** One source image: what a frame's Source Image Sequence names, and where the image lies. */
export interface SourceImage {
  sopClass: string;
  sopInstance: string;
  /** ImagePositionPatient as the image writes it (the SEG's frame repeats it to the digit). */
  position: string;
}

/** The source series matched to a mask: what the SEG copies, and each mask slice's image. */
export interface SourceSeries {
  /** Patient, study and frame of reference attributes, as the images hold them. */
  copied: DicomElements;
  seriesUid: string;
  images: SourceImage[];
  /** The image at each slice of the mask (axis 0). */
  bySlice: SourceImage[];
}

const failOf = (who: string) => (message: string) => new InputError("INVALID_ARGUMENT", `${who} { source }: ${message}`);

/** The one value every image has for `t`; INVALID_ARGUMENT naming `what` when they differ or lack it. */
function shared(datasets: readonly DicomDataset[], t: number, what: string, fail: (message: string) => InputError): string {
  const values = new Set(datasets.map((d) => d.string(t) ?? ""));
  if (values.has("")) throw fail(`an image has no ${what}.`);
  if (values.size > 1) throw fail(`the images are not of one ${what} (${[...values].slice(0, 3).join(", ")}); give the images of one series.`);
  return [...values][0]!;
}

const close = (a: readonly number[], b: readonly number[], tolerance: number) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

/**
 * Reads the source images and matches each slice of `space` to the image at its position:
 * one series (one study, frame of reference), the mask's rows, columns, pixel spacing and
 * orientation, and an image at every slice of the mask (the images may cover more).
 * SHAPE_MISMATCH where the mask does not lie on the images' grid.
 */
export function readSourceSeries(sources: unknown, space: Space, who = "encodeDicomSeg"): SourceSeries {
  const fail = failOf(who);
  if (!Array.isArray(sources) || sources.length === 0 || !sources.every((s) => s instanceof Uint8Array)) {
    throw fail("takes the bytes of each source image, an array of Uint8Array.");
  }
  const datasets = sources.map((bytes: Uint8Array, i) => {
    try {
      return parseDicom(bytes, DEFAULT_MAX_BYTES).dataset;
    } catch (error) {
      if (error instanceof MedMaskError) throw errorOf(error.code, `Source image ${i + 1}: ${error.message}`, { cause: error });
      throw error;
    }
  });
  const seriesUid = shared(datasets, T.SeriesInstanceUID, "series (SeriesInstanceUID)", fail);
  shared(datasets, T.StudyInstanceUID, "study (StudyInstanceUID)", fail);
  shared(datasets, T.FrameOfReferenceUID, "frame of reference (FrameOfReferenceUID)", fail);
  const [, rows, columns] = space.shape;
  const orientation = [...space.zOrientation, ...space.yOrientation];
  const images = datasets.map((d, i) => {
    const where = `source image ${i + 1}`;
    const sopClass = d.string(T.SOPClassUID), sopInstance = d.string(T.SOPInstanceUID);
    const position = d.numbers(T.ImagePositionPatient, "ImagePositionPatient");
    if (!sopClass || !sopInstance || position?.length !== 3) throw fail(`${where} has no SOP Class / Instance UID or ImagePositionPatient: not an image of a volume.`);
    if (d.uint16(T.Rows) !== rows || d.uint16(T.Columns) !== columns) {
      throw new GeometryError("SHAPE_MISMATCH", `The mask's slices are ${rows} x ${columns} (rows x columns); ${where} is ${d.uint16(T.Rows)} x ${d.uint16(T.Columns)}.`);
    }
    const iop = d.numbers(T.ImageOrientationPatient, "ImageOrientationPatient") ?? [];
    if (!close(iop, orientation, 1e-4)) throw new GeometryError("SHAPE_MISMATCH", `${where} has ImageOrientationPatient ${iop.join("\\")}; the mask's rows and columns run along ${orientation.map((v) => +v.toFixed(6)).join("\\")}.`);
    const spacing = d.numbers(T.PixelSpacing, "PixelSpacing") ?? [];
    if (!close(spacing, [space.spacing[1], space.spacing[2]], 1e-3)) throw new GeometryError("SHAPE_MISMATCH", `${where} has PixelSpacing ${spacing.join("\\")}; the mask's is ${space.spacing[1]}\\${space.spacing[2]}.`);
    return { sopClass, sopInstance, position: d.string(T.ImagePositionPatient)!, at: position };
  });
  // Each slice of the mask lies on an image: within a fiftieth of a millimetre, which covers
  // positions that went through float32 (NIfTI) on their way here.
  const bySlice = Array.from({ length: space.shape[0] }, (_, z) => {
    const p = space.indexToWorld([z, 0, 0]);
    const image = images.find((im) => close(im.at, p, 0.02));
    if (!image) throw new GeometryError("SHAPE_MISMATCH", `Slice ${z} of the mask lies at ${p.map((v) => +v.toFixed(3)).join(", ")} mm, where no source image is (the mask is not on the images' grid).`);
    return image;
  });
  const copied: DicomElements = [];
  for (const [t, vr] of COPIED) {
    const value = datasets[0]!.string(t);
    if (value !== undefined) copied.push([t, vr, value]);
  }
  return { copied, seriesUid, images: images.map(({ sopClass, sopInstance, position }) => ({ sopClass, sopInstance, position })), bySlice };
}

const code = (value: string, scheme: string, meaning: string): DicomElements => [
  [T.CodeValue, "SH", value],
  [T.CodingSchemeDesignator, "SH", scheme],
  [T.CodeMeaning, "LO", meaning],
];

/** A frame's Derivation Image Sequence: derived from `image` by segmentation (PS3.3 C.7.6.16.2.6). */
export function derivationItem(image: SourceImage): DicomElements {
  return [
    [
      tag(0x0008, 0x9124), // DerivationImageSequence
      "SQ",
      [
        [
          [tag(0x0008, 0x2112), "SQ", [[[T.ReferencedSOPClassUID, "UI", image.sopClass], [T.ReferencedSOPInstanceUID, "UI", image.sopInstance], [tag(0x0040, 0xa170), "SQ", [code("121322", "DCM", "Source image for image processing operation")]]]]], // SourceImageSequence
          [tag(0x0008, 0x9215), "SQ", [code("113076", "DCM", "Segmentation")]], // DerivationCodeSequence
        ],
      ],
    ],
  ];
}

/** The Referenced Series Sequence of the Common Instance Reference module: every source image. */
export function referencedSeries(series: SourceSeries): DicomElements {
  return [
    [
      tag(0x0008, 0x1115), // ReferencedSeriesSequence
      "SQ",
      [[[tag(0x0008, 0x114a), "SQ", series.images.map((im) => [[T.ReferencedSOPClassUID, "UI", im.sopClass], [T.ReferencedSOPInstanceUID, "UI", im.sopInstance]] as DicomElements)], [T.SeriesInstanceUID, "UI", series.seriesUid]]],
    ],
  ];
}
