// One rule for the tests that need a real component (the Python peer, Chromium, pydicom,
// dciodvfy, redis-server): outside CI a machine without it skips them with a message that
// says how to get it; with CI=true (where .ci/run installs it) a missing component fails.

/** Whether the tests of `component` run: true when present, false (after a message) when not. */
export function requireComponent(component: string, present: boolean, howToGet: string): boolean {
  if (present) return true;
  if (process.env.CI) throw new Error(`${component} must be available in CI (.ci/run installs it): ${howToGet}.`);
  console.warn(`Skipping the tests that need ${component}: ${howToGet}.`);
  return false;
}
