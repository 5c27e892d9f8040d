import fc from "fast-check";

// CI runs property tests with a fixed seed, so a red build always means a change broke
// something; local runs draw a fresh seed each time to keep exploring (a failure prints its
// seed, and FC_SEED=<seed> replays it).
const fixed = process.env.FC_SEED ?? (process.env.CI ? "20261124" : undefined);
if (fixed !== undefined) fc.configureGlobal({ seed: Number(fixed) });
