// `medmask/internals`: what the medmask-cli package and the tests use beyond the public API.
// Not part of the API: names here may change in any release.
export { fileIO } from "./file-io.js";
export { isNiftiPath } from "./node/nifti-files.js";
