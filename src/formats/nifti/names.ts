// What names a NIfTI file: `.nii` or `.nii.gz`, any case. One home for the test, which file
// pickers, folder readers, sidecars and the command line all make.

/** `.nii` or `.nii.gz` at the end of a name, any case. */
export const NIFTI_NAME = /\.nii(\.gz)?$/i;

/** Whether `name` (a path or a file name) names a NIfTI file. */
export const isNiftiPath = (name: string): boolean => NIFTI_NAME.test(name);

/** A NIfTI file name without its extension: `urinary_bladder.nii.gz` -> `urinary_bladder`. */
export const withoutNiftiExtension = (name: string): string => name.replace(NIFTI_NAME, "");
