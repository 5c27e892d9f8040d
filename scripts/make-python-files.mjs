// `node scripts/make-python-files.mjs`: writes, in the Python medmask library's layouts
// (SPEC.md section 5; zstd level 3 like the Python library), the real case of
// data/totalsegmentator-s0000/ as
// - bench/data/totalseg-117.python.mska: the 117 organ masks, bool entries packed with
//   numpy.packbits' big bit order ("MSKA");
// - bench/data/totalseg-multilabel.python.msk: the 117 combined into one uint8 mask ("MSK1").
// medmask has no zstd encoder, so this needs the `zstd` command; the files it writes are
// committed, and the bench and tests only read them. They are not files the Python library
// wrote: the fixtures in test/fixtures/python-medmask/ are, and they pin the layouts.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { combineBinaryMasks, readNiftiFolder } from "../dist/node.js";

const DATA = fileURLToPath(new URL("../data/totalsegmentator-s0000/", import.meta.url));
const OUT = fileURLToPath(new URL("../bench/data/totalseg-117.python.mska", import.meta.url));
const OUT_MSK = fileURLToPath(new URL("../bench/data/totalseg-multilabel.python.msk", import.meta.url));

const zstd = (bytes) => new Uint8Array(execFileSync("zstd", ["-3", "-q", "-c"], { input: bytes, maxBuffer: 1 << 30 }));

/** numpy.packbits of 0/1 bytes, big bit order (the first voxel is the top bit). */
function packbits(data) {
  const packed = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i++) if (data[i]) packed[i >> 3] |= 0x80 >> (i & 7);
  return packed;
}

/**
 * A data block: flag (1 = bool, packed), dtype, ndim 3, the (z, y, x) shape, then one zstd
 * frame of the voxels (packed for bool).
 */
function dataBlock(data, shape, dtype) {
  const packed = dtype === "bool";
  const frame = zstd(packed ? packbits(data) : data);
  const head = new Uint8Array(1 + 1 + dtype.length + 1 + 3 * 8);
  const view = new DataView(head.buffer);
  head[0] = packed ? 1 : 0;
  head[1] = dtype.length;
  head.set(new TextEncoder().encode(dtype), 2);
  head[2 + dtype.length] = 3;
  shape.forEach((n, i) => view.setBigInt64(3 + dtype.length + 8 * i, BigInt(n), true));
  return Buffer.concat([head, frame]);
}

const { space, masks } = await readNiftiFolder(DATA);
const spaceJson = Buffer.from(JSON.stringify(space.reverseAxisOrder().toJSON()));
const HEADER = 90;
const blocks = masks.map((m) => dataBlock(m.data, space.shape, "bool"));
// The index holds absolute offsets, which depend on its own length: pad it to a fixed size.
const indexBytes = 64 * 1024;
const dataStart = HEADER + spaceJson.length + indexBytes;
let at = dataStart;
const index = masks.map((m, i) => {
  const entry = { name: m.name, offset: at, length: blocks[i].length, mapping: { [m.name]: 1 } };
  at += blocks[i].length;
  return entry;
});
const indexJson = Buffer.alloc(indexBytes);
indexJson.write(JSON.stringify(index));
const header = Buffer.alloc(HEADER);
header.write("MSKA", 0, "latin1");
header[4] = 1;
header[5] = 0;
header[6] = 0;
[HEADER, spaceJson.length, HEADER + spaceJson.length, indexBytes, dataStart, at - dataStart, masks.length].forEach((v, i) => header.writeBigUInt64LE(BigInt(v), 7 + 8 * i));
writeFileSync(OUT, Buffer.concat([header, spaceJson, indexJson, ...blocks]));
console.log(`${OUT}: ${masks.length} entries, ${at} bytes`);

// The multi-label mask: header, space JSON, mapping JSON, data block.
const { mask } = combineBinaryMasks(space, masks);
const mappingJson = Buffer.from(JSON.stringify(mask.mapping.toJSON()));
const block = dataBlock(mask.data, space.shape, "uint8");
const MSK_HEADER = 62;
const mskHeader = Buffer.alloc(MSK_HEADER);
mskHeader.write("MSK1", 0, "latin1");
mskHeader[4] = 1;
const spaceAt = MSK_HEADER, mappingAt = spaceAt + spaceJson.length, dataAt = mappingAt + mappingJson.length;
[spaceAt, spaceJson.length, mappingAt, mappingJson.length, dataAt, block.length].forEach((v, i) => mskHeader.writeBigUInt64LE(BigInt(v), 7 + 8 * i));
writeFileSync(OUT_MSK, Buffer.concat([mskHeader, spaceJson, mappingJson, block]));
console.log(`${OUT_MSK}: ${dataAt + block.length} bytes`);
