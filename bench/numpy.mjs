// The Python library and numpy on the same queries as the queries table, in the same run: the
// real case as the Python library's own `.msk` (bench/data), loaded by the real library
// (../shared/peers/python-medmask, Debian's python3-numpy and python3-zstandard), each call
// timed as its users run it (medians of 20, ms). Null where the peer or numpy is missing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pythonEnv } from "./huge-pages.mjs";

const PEER = process.env.MEDMASK_PYTHON_PEER ?? fileURLToPath(new URL("../../shared/peers/python-medmask", import.meta.url));
const MSK = fileURLToPath(new URL("./data/totalseg-multilabel.python.msk", import.meta.url));

const SCRIPT = `
import json, sys, time, statistics
import numpy as np
from medmask.storage import MaskFile, load_mask
six, many = json.loads(sys.argv[2]), json.loads(sys.argv[3])
def timed(fn, repeats=20):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
mask = load_mask(sys.argv[1])
data = mask.data
print(json.dumps({
    "read": timed(lambda: MaskFile(sys.argv[1]).read()),
    "oneName": timed(lambda: mask.get_binary_mask_by_names("colon")),
    "six": timed(lambda: mask.get_binary_mask_by_names(six)),
    "many": timed(lambda: mask.get_binary_mask_by_names(many)),
    "bincount": timed(lambda: np.bincount(data.ravel())),
    "unique": timed(lambda: np.unique(data), 5),
}))
`;

/** numpy's and the Python library's medians (ms) for the queries table, or null. */
export function numpyTimes(six, many) {
  const r = spawnSync("/usr/bin/python3", ["-c", SCRIPT, MSK, JSON.stringify(six), JSON.stringify(many)], { env: pythonEnv({ PYTHONPATH: PEER }), encoding: "utf8" });
  if (r.status !== 0) {
    console.warn(`numpy rows skipped (the Python peer beside the repository, apt-get install python3-numpy python3-zstandard): ${r.stderr.trim().split("\n").pop()}`);
    return null;
  }
  return JSON.parse(r.stdout);
}
