import { readFileSync } from "node:fs";
import { it } from "vitest";
import { Space, decodeRtStruct, SegmentationMask } from "../src/node.js";
import { contourKernels } from "../src/kernels/contours.js";
import { jsKernels } from "../src/kernels/js.js";
it("find", () => {
  const path = "/work/shared/fixtures/outside/realworld3/slicerrt/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm";
  const grid = new Space({ shape: [92, 217, 341], spacing: [2.5, 1, 1], origin: [-166, -109, -122.5], xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] });
  const { mask, rois } = decodeRtStruct(new Uint8Array(readFileSync(path)), { space: grid });
  const k = contourKernels(jsKernels);
  for (const roi of rois) {
    const bin = mask.getBinaryMaskByNames(roi.name);
    const [nz, ny, nx] = grid.shape;
    for (let z = 0; z < nz; z++) {
      const g = new Uint8Array((ny + 2) * (nx + 2));
      let any = 0;
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) any |= g[(y + 1) * (nx + 2) + x + 1] = bin[(z * ny + y) * nx + x]!;
      if (!any) continue;
      const t = performance.now();
      // guard: run in a worker? just log before
      console.log(roi.name, z);
      k.traceContours(g, ny + 2, nx + 2);
    }
  }
});
