// `node scripts/make-python-files.mjs`: the real case of data/totalsegmentator-s0000/ as files
// the Python medmask library itself wrote (its MaskArchive and save_mask, default zstd level):
// - bench/data/totalseg-117.python.mska: the 117 organ masks as bool entries;
// - bench/data/totalseg-multilabel.python.msk: the 117 combined into one uint8 mask;
// - bench/data/totalseg-multilabel.uint8.zst: that file's zstd frame alone (the decoder bench).
// medmask writes the masks in the Python layout first (the voxels have to reach Python
// somehow), then the Python library reads them and writes its own files of the same masks.
// It needs Debian's python3-numpy and python3-zstandard and the library in
// ../shared/peers/python-medmask (or MEDMASK_PYTHON_PEER); the files it writes are committed,
// and the bench and tests only read them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MaskArchive, SegmentationMask, combineBinaryMasks, readNiftiFolder, saveMask } from "../dist/node.js";

const DATA = fileURLToPath(new URL("../data/totalsegmentator-s0000/", import.meta.url));
const OUT = fileURLToPath(new URL("../bench/data/", import.meta.url));
const PEER = process.env.MEDMASK_PYTHON_PEER ?? fileURLToPath(new URL("../../shared/peers/python-medmask", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "medmask-python-files-"));

const { space, masks } = await readNiftiFolder(DATA);
const ours = await MaskArchive.create(join(temp, "ours.mska"), { space, format: "python" });
for (const m of masks) ours.add(m.name, new SegmentationMask(m.data, { [m.name]: 1 }, space, { bitDepth: 1 }));
await ours.close();
// One volume, painted as Python paints it, numbered 1..117 in name order.
const { mask } = combineBinaryMasks(space, masks, { onOverlap: "overwrite", mapping: Object.fromEntries(masks.map((m, i) => [m.name, i + 1])) });
await saveMask(mask, join(temp, "ours.msk"), { format: "python" });

execFileSync("/usr/bin/python3", ["-c", `
import sys
from medmask.storage import MaskArchive, load_mask, save_mask
src, out = sys.argv[1], sys.argv[2]
theirs = MaskArchive(out + "/totalseg-117.python.mska", mode="w", space=MaskArchive(src + "/ours.mska").space)
ours = MaskArchive(src + "/ours.mska")
for name in ours.all_names():
    theirs.add_segmask(ours.load_segmask(name), name)
save_mask(load_mask(src + "/ours.msk"), out + "/totalseg-multilabel.python.msk")
`, temp, OUT], { env: { ...process.env, PYTHONPATH: PEER }, stdio: "inherit" });

// The .msk's data block: flag, dtype length, dtype, ndim, shape, then the zstd frame.
const msk = readFileSync(join(OUT, "totalseg-multilabel.python.msk"));
const dataAt = Number(msk.readBigUint64LE(39));
const frameAt = dataAt + 2 + msk[dataAt + 1] + 1 + 3 * 8;
writeFileSync(join(OUT, "totalseg-multilabel.uint8.zst"), msk.subarray(frameAt));
rmSync(temp, { recursive: true, force: true });
for (const name of ["totalseg-117.python.mska", "totalseg-multilabel.python.msk", "totalseg-multilabel.uint8.zst"]) {
  console.log(`${join(OUT, name)}: ${readFileSync(join(OUT, name)).length} bytes`);
}
