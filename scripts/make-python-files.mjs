// `node scripts/make-python-files.mjs`: writes bench/data/totalseg-117.python.mska, the 117
// organ masks of data/totalsegmentator-s0000/ in the Python medmask library's archive layout
// (SPEC.md section 5: "MSKA", bool entries packed with numpy.packbits' big bit order, one
// zstd frame each, level 3 like the Python library). medmask has no zstd encoder, so this
// needs the `zstd` command; the file it writes is committed, and the bench only reads it.
// It is not a file the Python library wrote: the fixtures in test/fixtures/python-medmask/
// are, and they pin the layout this follows.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readNiftiFolder } from "../dist/node.js";

const DATA = fileURLToPath(new URL("../data/totalsegmentator-s0000/", import.meta.url));
const OUT = fileURLToPath(new URL("../bench/data/totalseg-117.python.mska", import.meta.url));

const zstd = (bytes) => new Uint8Array(execFileSync("zstd", ["-3", "-q", "-c"], { input: bytes, maxBuffer: 1 << 30 }));

/** numpy.packbits of 0/1 bytes, big bit order (the first voxel is the top bit). */
function packbits(data) {
  const packed = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i++) if (data[i]) packed[i >> 3] |= 0x80 >> (i & 7);
  return packed;
}

/** A data block: flag 1 (bool, packed), dtype "bool", ndim 3, the (z, y, x) shape, the frame. */
function dataBlock(data, shape) {
  const frame = zstd(packbits(data));
  const head = new Uint8Array(1 + 1 + 4 + 1 + 3 * 8);
  const view = new DataView(head.buffer);
  head[0] = 1;
  head[1] = 4;
  head.set(new TextEncoder().encode("bool"), 2);
  head[6] = 3;
  shape.forEach((n, i) => view.setBigInt64(7 + 8 * i, BigInt(n), true));
  return Buffer.concat([head, frame]);
}

const { space, masks } = await readNiftiFolder(DATA);
const spaceJson = Buffer.from(JSON.stringify(space.reverseAxisOrder().toJSON()));
const HEADER = 90;
const blocks = masks.map((m) => dataBlock(m.data, space.shape));
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
