import { FormatError } from "../../errors.js";
import type { SpaceJSON } from "../../space.js";
import { ByteReader, magicOf } from "../../sources/bytes.js";
import { crc32 } from "../../codecs/crc32.js";
import type { Dtype, HeaderLabel } from "./native.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { deflateRaw, inflateExactly } from "../../codecs/deflate.js";

// The native archive: "MMSA" prefix, native mask files back to back, an index JSON, and a
// fixed 32-byte footer that says where the index is. Readers start from the footer, so
// names, mappings and statistics come without touching any entry.

export const ARCHIVE_MAGIC = "MMSA";
/**
 * Version 2 stores the index deflated (an archive's index is mostly repeated keys: the 117
 * organs' index shrinks to a fraction, which is what a reader over HTTP fetches first);
 * version 1's plain index still reads.
 */
export const ARCHIVE_MAJOR = 2;
export const ARCHIVE_MINOR = 0;
/** Deflate level of the index (written once per commit, read by every reader). */
const INDEX_LEVEL = 9;
export const ARCHIVE_PREFIX_BYTES = 8;
export const FOOTER_BYTES = 32;

/** One entry of the index: a complete native mask file at [offset, offset + length). */
export interface ArchiveIndexEntry {
  name: string;
  offset: number;
  length: number;
  dtype: Dtype;
  mapping: Record<string, number>;
  labels: HeaderLabel[];
  /** Colours and codes by name, as the entry's own header holds them (absent: none). */
  metadata?: Record<string, LabelMetadata>;
}

/** The index JSON. */
export interface ArchiveIndex {
  format: "medmask-archive";
  version: string;
  axis_order: "zyx";
  space: SpaceJSON;
  entries: ArchiveIndexEntry[];
}

/** Where the index lives, from the footer. */
export interface ArchiveFooter {
  indexOffset: number;
  indexLength: number;
  indexCrc: number;
  count: number;
  /** Version 2: the index's length once inflated (0: stored as plain JSON). */
  rawLength: number;
}

export function archivePrefix(): Uint8Array {
  const out = new Uint8Array(ARCHIVE_PREFIX_BYTES);
  out.set([...ARCHIVE_MAGIC].map((c) => c.charCodeAt(0)));
  out[4] = ARCHIVE_MAJOR;
  out[5] = ARCHIVE_MINOR;
  return out;
}

/** The archive's major version, from its prefix (UNSUPPORTED_VERSION for one this library does not read). */
export function checkArchivePrefix(prefix: Uint8Array): number {
  const reader = new ByteReader(prefix, "medmask archive");
  reader.need(0, ARCHIVE_PREFIX_BYTES);
  if (magicOf(prefix) !== ARCHIVE_MAGIC) throw new FormatError("BAD_FORMAT", `Not a medmask archive: it starts with ${JSON.stringify(magicOf(prefix))}.`);
  const major = reader.u8(4);
  if (major < 1 || major > ARCHIVE_MAJOR) {
    throw new FormatError("UNSUPPORTED_VERSION", `This medmask archive is format version ${major}.${reader.u8(5)}; this library reads versions 1.x to ${ARCHIVE_MAJOR}.x. Upgrade medmask.`);
  }
  return major;
}

/** Index bytes (deflated, version 2) + footer bytes for `index` placed at `indexOffset`. */
export function encodeIndex(index: ArchiveIndex, indexOffset: number): Uint8Array {
  const plain = new TextEncoder().encode(JSON.stringify(index));
  const json = deflateRaw(plain, INDEX_LEVEL);
  const out = new Uint8Array(json.length + FOOTER_BYTES);
  out.set(json);
  const view = new DataView(out.buffer, json.length, FOOTER_BYTES);
  view.setBigUint64(0, BigInt(indexOffset), true);
  view.setUint32(8, json.length, true);
  view.setUint32(12, crc32(json), true);
  view.setUint32(16, index.entries.length, true);
  view.setUint32(20, plain.length, true);
  out.set([...ARCHIVE_MAGIC].map((c) => c.charCodeAt(0)), json.length + 24);
  view.setUint32(28, crc32(out.subarray(json.length, json.length + 28)), true);
  return out;
}

export function decodeFooter(footer: Uint8Array, fileBytes: number, major = ARCHIVE_MAJOR): ArchiveFooter {
  const reader = new ByteReader(footer, "medmask archive footer");
  reader.need(0, FOOTER_BYTES);
  if (magicOf(footer.subarray(24)) !== ARCHIVE_MAGIC) {
    throw new FormatError("TRUNCATED", "The medmask archive has no valid footer: it is truncated or was not closed.");
  }
  if (crc32(footer.subarray(0, 28)) !== reader.u32(28)) throw new FormatError("CHECKSUM", "The medmask archive's footer fails its CRC-32 check: the file is corrupt.");
  const indexOffset = reader.u64(0), indexLength = reader.u32(8);
  if (indexOffset < ARCHIVE_PREFIX_BYTES || indexOffset + indexLength + FOOTER_BYTES !== fileBytes) {
    throw new FormatError("BAD_FORMAT", `The medmask archive's footer points outside the file (index at ${indexOffset}+${indexLength}, file ${fileBytes} bytes).`);
  }
  const rawLength = major >= 2 ? reader.u32(20) : 0;
  if (major >= 2 && rawLength === 0) throw new FormatError("BAD_FORMAT", "The medmask archive's footer gives no length for its deflated index.");
  return { indexOffset, indexLength, indexCrc: reader.u32(12), count: reader.u32(16), rawLength };
}

/**
 * The index JSON from its stored bytes (CRC first, then inflated to exactly the footer's
 * length when version 2 deflated it; the caller checks that length against its limit).
 */
export function decodeIndex(stored: Uint8Array, footer: ArchiveFooter): ArchiveIndex {
  if (crc32(stored) !== footer.indexCrc) throw new FormatError("CHECKSUM", "The medmask archive's index fails its CRC-32 check: the file is corrupt.");
  let bytes = stored;
  if (footer.rawLength > 0) {
    try {
      bytes = inflateExactly(stored, footer.rawLength);
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `The medmask archive's index does not inflate to its declared ${footer.rawLength} bytes: ${(cause as Error).message}.`, { cause });
    }
  }
  const index = new ByteReader(bytes, "medmask archive").json(0, bytes.length, "index") as ArchiveIndex;
  if (typeof index !== "object" || index === null || !Array.isArray(index.entries) || index.entries.length !== footer.count) {
    throw new FormatError("BAD_FORMAT", "The medmask archive's index is not a list of entries matching its footer.");
  }
  let end = ARCHIVE_PREFIX_BYTES;
  for (const e of index.entries) {
    const ok = typeof e?.name === "string" && Number.isSafeInteger(e.offset) && Number.isSafeInteger(e.length) && e.offset >= end && e.offset + e.length <= footer.indexOffset;
    if (!ok) throw new FormatError("BAD_FORMAT", `The medmask archive's index entry ${JSON.stringify(e?.name)} points outside the entries.`);
    end = e.offset + e.length;
  }
  return index;
}
