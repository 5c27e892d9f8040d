// A NIfTI reader for the demo worker's pool: inflating a .nii.gz is most of the time a
// TotalSegmentator folder takes to load, so the files of a folder are read in several of
// these at once (READERS in worker.ts).
import workerpool from "workerpool";
import { readNiftiBlob, type SpaceJSON } from "../src/index.js";
import type { LabelArray } from "../src/index.js";

/** A read volume as it crosses to the demo worker: voxels transferred, space as JSON. */
export interface NiftiReply {
  data: LabelArray;
  space: SpaceJSON;
  labels: object | null;
}

workerpool.worker({
  /** Reads `file`, inflating into `spare` (a buffer the demo worker is done with) when it fits. */
  async readNifti(file: File, spare?: ArrayBuffer): Promise<unknown> {
    const { data, space, labels } = await readNiftiBlob(file, spare ? { into: new Uint8Array(spare) } : {});
    const reply: NiftiReply = { data, space: space.toJSON(), labels };
    return new workerpool.Transfer(reply, [data.buffer]);
  },
});
