import type { LabelArray } from "../../bitdepth.js";
import type { SegmentationMask } from "../../mask.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { oneVolume } from "../../one-volume.js";
import type { Space } from "../../space.js";
import { labelColor } from "../../label-colors.js";
import { gzip } from "../../codecs/gzip.js";
import { affineFromSpace } from "./read.js";

const HEADER_BYTES = 348;
const VOX_OFFSET = 352; // header + the 4-byte extension flag
/** NIFTI_ECODE_COMMENT: free text, here JSON with the label names (see `labelsExtension`). */
export const NAMES_ECODE = 6;
const NIFTI_UNITS_MM = 2;
const XFORM_SCANNER = 1;
const XFORM_ALIGNED = 2;

/** NIfTI datatype code and bits for a label array. */
function datatypeOf(data: LabelArray): { code: number; bits: number } {
  if (data instanceof Uint32Array) return { code: 768, bits: 32 };
  if (data instanceof Uint16Array) return { code: 512, bits: 16 };
  return { code: 2, bits: 8 };
}

/**
 * Quaternion parameters of a 3x3 matrix whose columns are unit vectors (nifti1_io's
 * mat44_to_quatern): returns b, c, d and qfac (-1 when the matrix is a reflection).
 */
export function quaternionOf(r: number[][]): { b: number; c: number; d: number; qfac: number } {
  const m = r.map((row) => [...row]);
  const det = m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (const row of m) row[2] = -row[2]!;
  const [[r11, r12, r13], [r21, r22, r23], [r31, r32, r33]] = m as [[number, number, number], [number, number, number], [number, number, number]];
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33), yd = 1 + r22 - (r11 + r33), zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) [b, c, d] = [-b, -c, -d];
  }
  return { b, c, d, qfac };
}

/** Options of `encodeNifti`. */
export interface NiftiWriteOptions {
  /** gzip the file (`.nii.gz`); default true. */
  gzip?: boolean;
  /** Text for the header's 80-byte description. */
  description?: string;
  /**
   * Label names to carry inside the file, `{name: label}`: a NIfTI-1 header extension
   * (comment code 6, JSON `{"medmask": {"labels": ...}}`) that other readers skip. The
   * names then travel with the voxels in one atomic write, and a names sidecar left from
   * an interrupted save cannot give the voxels wrong names.
   */
  labels?: Record<string, number>;
  /** Colours and codes by name, carried beside `labels`. */
  metadata?: Record<string, LabelMetadata>;
  /**
   * A layered mask (labels that overlap) cannot be one NIfTI volume: LAYERED unless this is
   * true, when the layers are painted into one (later layers win; overlaps lost).
   */
  flatten?: boolean;
  /**
   * Also carry the names as TotalSegmentator does in its multi-label output: a CaretExtension
   * XML label table, the first extension (TotalSegmentator's `load_multilabel_nifti` and
   * Connectome Workbench read it). Default false.
   */
  caretExtension?: boolean;
}

/** A header extension of `code` holding `content`, padded to 16 bytes with `pad`. */
function extensionOf(code: number, content: Uint8Array, pad: number): Uint8Array {
  const size = Math.ceil((8 + content.length) / 16) * 16;
  const out = new Uint8Array(size).fill(pad, 8 + content.length);
  const view = new DataView(out.buffer);
  view.setInt32(0, size, true);
  view.setInt32(4, code, true);
  out.set(content, 8);
  return out;
}

/**
 * The CaretExtension label table of `labels` (TotalSegmentator's layout: extension code 0,
 * one Label element per label with its colour 0..1 and its name as CDATA), padded with spaces
 * so the XML stays well formed to the extension's end.
 */
function caretExtension(labels: Record<string, number>, metadata: Record<string, LabelMetadata> | undefined): Uint8Array {
  const rows = Object.entries(labels)
    .sort((a, b) => a[1] - b[1])
    .map(([name, label]) => {
      const [r, g, b] = metadata?.[name]?.color ?? labelColor(label);
      // "]]>" cannot stand inside CDATA: it is split across two sections.
      return `<Label Key="${label}" Red="${r}" Green="${g}" Blue="${b}" Alpha="1"><![CDATA[${name.replace(/]]>/g, "]]]]><![CDATA[>")}]]></Label>`;
    });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<CaretExtension><VolumeInformation Index="0"><LabelTable>\n${rows.join("\n")}\n</LabelTable><VolumeType><![CDATA[Label]]></VolumeType></VolumeInformation></CaretExtension>\n`;
  return extensionOf(0, new TextEncoder().encode(xml), 0x20);
}

/** The header extension holding `labels`: esize, ecode, JSON, zero-padded to 16 bytes. */
function labelsExtension(labels: Record<string, number>, metadata: Record<string, LabelMetadata> | undefined): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ medmask: { labels, ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}) } }));
  return extensionOf(NAMES_ECODE, json, 0);
}

/**
 * A NIfTI-1 file of a label volume on `space`: sform (aligned) and qform (scanner) both
 * set from the space, so every reader finds the same geometry.
 */
export function niftiBytes(data: LabelArray, space: Space, options: NiftiWriteOptions = {}): Uint8Array {
  const { code, bits } = datatypeOf(data);
  // TotalSegmentator reads the first extension only: its table comes first.
  const parts = options.labels ? [...(options.caretExtension ? [caretExtension(options.labels, options.metadata)] : []), labelsExtension(options.labels, options.metadata)] : [];
  const extension = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (extension.set(p, at), at + p.length), 0);
  const voxOffset = VOX_OFFSET + extension.length;
  const out = new Uint8Array(voxOffset + data.byteLength);
  const view = new DataView(out.buffer);
  const [nz, ny, nx] = space.shape;
  const xyz = space.reverseAxisOrder();
  const affine = affineFromSpace(space);
  view.setInt32(0, HEADER_BYTES, true);
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((v, i) => view.setInt16(40 + 2 * i, v, true));
  view.setInt16(70, code, true);
  view.setInt16(72, bits, true);
  const rotation = [0, 1, 2].map((r) => [0, 1, 2].map((c) => affine[r]![c]! / xyz.spacing[c]!));
  const q = quaternionOf(rotation);
  [q.qfac, xyz.spacing[0], xyz.spacing[1], xyz.spacing[2], 1, 0, 0, 0].forEach((v, i) => view.setFloat32(76 + 4 * i, v, true));
  view.setFloat32(108, voxOffset, true);
  view.setFloat32(112, 1, true); // scl_slope
  view.setFloat32(116, 0, true); // scl_inter
  view.setUint8(123, NIFTI_UNITS_MM);
  const text = new TextEncoder().encode((options.description ?? "medmask").slice(0, 79));
  out.set(text, 148);
  view.setInt16(252, XFORM_SCANNER, true);
  view.setInt16(254, XFORM_ALIGNED, true);
  view.setFloat32(256, q.b, true);
  view.setFloat32(260, q.c, true);
  view.setFloat32(264, q.d, true);
  for (let i = 0; i < 3; i++) view.setFloat32(268 + 4 * i, affine[i]![3]!, true);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, true);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  if (extension.length > 0) {
    out[348] = 1; // extensions follow
    out.set(extension, VOX_OFFSET);
  }
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), voxOffset);
  return options.gzip === false ? out : gzip(out, 6);
}

/**
 * A mask as a NIfTI-1 file (uint8 for bit depths 1 and 8, else uint16/uint32), its names in
 * a header extension (`labels`; `readNifti` gives them back, other readers skip it). Tools
 * that read names only from a JSON sidecar get one from `saveNifti`.
 * @example const bytes = encodeNifti(seg); // .nii.gz bytes
 */
export function encodeNifti(seg: SegmentationMask<string>, options: NiftiWriteOptions = {}): Uint8Array {
  const { flatten, ...rest } = options;
  return niftiBytes(oneVolume(seg, flatten, "A NIfTI file"), seg.space, { labels: seg.mapping.toJSON(), metadata: seg.allMetadata(), ...rest });
}
