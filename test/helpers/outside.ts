// The label files other producers wrote (../shared/fixtures/outside, with their sources in
// its README), read in place: some carry licences that keep them out of this repository.
// Outside CI a machine without them skips those tests with a message; in CI they must be there.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { requireComponent } from "./component.js";
import { ROOT } from "./cli.js";

/** The outside fixtures: MEDMASK_OUTSIDE_FIXTURES, else ../shared/fixtures/outside beside the repo. */
export const OUTSIDE = process.env.MEDMASK_OUTSIDE_FIXTURES ?? resolve(ROOT, "../shared/fixtures/outside");

/** Whether the outside fixtures can be read; in CI they must. */
export const hasOutside = requireComponent("the outside label files", existsSync(join(OUTSIDE, "realworld3")), `they are not at ${OUTSIDE} (set MEDMASK_OUTSIDE_FIXTURES)`);

/** A file of realworld3/ by its path there. */
export const outside = (path: string): string => join(OUTSIDE, "realworld3", path);
