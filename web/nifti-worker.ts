// A NIfTI reader for the demo worker's pool: inflating a .nii.gz is most of the time a
// TotalSegmentator folder takes to load (~25 ms per mask in Chromium's DecompressionStream),
// so the files of a folder are read in several of these at once (READERS in worker.ts).
import workerpool from "workerpool";
import { readNiftiBlob, type SpaceJSON } from "../src/index.js";
import type { LabelArray } from "../src/index.js";

/** A read volume as it crosses to the demo worker: voxels transferred, space as JSON. */
export interface NiftiReply {
  data: LabelArray;
  space: SpaceJSON;
}

workerpool.worker({
  async readNifti(file: File): Promise<unknown> {
    const { data, space } = await readNiftiBlob(file);
    const reply: NiftiReply = { data, space: space.toJSON() };
    return new workerpool.Transfer(reply, [data.buffer]);
  },
});
