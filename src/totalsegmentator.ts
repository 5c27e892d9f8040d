// TotalSegmentator's own label numbers, so a folder of its binary masks combines into the
// numbering of its multi-label output (`--ml`) and of every tool that reads it, not into an
// alphabetical one. Source: TotalSegmentator's `totalsegmentator/map_to_binary.py`,
// `class_map["total"]` (task "total", v2: 117 classes).

/** Task "total" (v2) in label order: the class at index i has label i + 1. */
const TOTAL_V2 = [
  "spleen", "kidney_right", "kidney_left", "gallbladder", "liver", "stomach", "pancreas",
  "adrenal_gland_right", "adrenal_gland_left", "lung_upper_lobe_left", "lung_lower_lobe_left",
  "lung_upper_lobe_right", "lung_middle_lobe_right", "lung_lower_lobe_right", "esophagus",
  "trachea", "thyroid_gland", "small_bowel", "duodenum", "colon", "urinary_bladder", "prostate",
  "kidney_cyst_left", "kidney_cyst_right", "sacrum", "vertebrae_S1", "vertebrae_L5",
  "vertebrae_L4", "vertebrae_L3", "vertebrae_L2", "vertebrae_L1", "vertebrae_T12", "vertebrae_T11",
  "vertebrae_T10", "vertebrae_T9", "vertebrae_T8", "vertebrae_T7", "vertebrae_T6", "vertebrae_T5",
  "vertebrae_T4", "vertebrae_T3", "vertebrae_T2", "vertebrae_T1", "vertebrae_C7", "vertebrae_C6",
  "vertebrae_C5", "vertebrae_C4", "vertebrae_C3", "vertebrae_C2", "vertebrae_C1", "heart", "aorta",
  "pulmonary_vein", "brachiocephalic_trunk", "subclavian_artery_right", "subclavian_artery_left",
  "common_carotid_artery_right", "common_carotid_artery_left", "brachiocephalic_vein_left",
  "brachiocephalic_vein_right", "atrial_appendage_left", "superior_vena_cava",
  "inferior_vena_cava", "portal_vein_and_splenic_vein", "iliac_artery_left", "iliac_artery_right",
  "iliac_vena_left", "iliac_vena_right", "humerus_left", "humerus_right", "scapula_left",
  "scapula_right", "clavicula_left", "clavicula_right", "femur_left", "femur_right", "hip_left",
  "hip_right", "spinal_cord", "gluteus_maximus_left", "gluteus_maximus_right",
  "gluteus_medius_left", "gluteus_medius_right", "gluteus_minimus_left", "gluteus_minimus_right",
  "autochthon_left", "autochthon_right", "iliopsoas_left", "iliopsoas_right", "brain", "skull",
  "rib_left_1", "rib_left_2", "rib_left_3", "rib_left_4", "rib_left_5", "rib_left_6", "rib_left_7",
  "rib_left_8", "rib_left_9", "rib_left_10", "rib_left_11", "rib_left_12", "rib_right_1",
  "rib_right_2", "rib_right_3", "rib_right_4", "rib_right_5", "rib_right_6", "rib_right_7",
  "rib_right_8", "rib_right_9", "rib_right_10", "rib_right_11", "rib_right_12", "sternum",
  "costal_cartilages",] as const;

/** A TotalSegmentator class name of task "total" (v2). */
export type TotalSegmentatorClass = (typeof TOTAL_V2)[number];

/**
 * TotalSegmentator's class map of task "total" (v2): name -> label, spleen 1 ...
 * costal_cartilages 117. Names for its multi-label output, which carries none itself.
 * @example const seg = await loadNifti("s0000_ml.nii.gz", { labels: TOTALSEGMENTATOR_CLASSES });
 */
export const TOTALSEGMENTATOR_CLASSES: Readonly<Record<TotalSegmentatorClass, number>> = Object.freeze(
  Object.fromEntries(TOTAL_V2.map((name, i) => [name, i + 1])) as Record<TotalSegmentatorClass, number>,
);

const isClass = (name: string): name is TotalSegmentatorClass => Object.hasOwn(TOTALSEGMENTATOR_CLASSES, name);

/**
 * TotalSegmentator's labels for `names` when every one of them is one of its classes (a
 * full run or a `--roi_subset`), else null.
 * @example totalSegmentatorLabels(["liver", "spleen"]); // { liver: 5, spleen: 1 }
 */
export function totalSegmentatorLabels(names: readonly string[]): Record<string, number> | null {
  if (names.length === 0 || !names.every(isClass)) return null;
  return Object.fromEntries(names.map((name) => [name, TOTALSEGMENTATOR_CLASSES[name as TotalSegmentatorClass]]));
}

/**
 * Whether a mapping's labels are TotalSegmentator's: every name one of its classes with that
 * class's label (what `medmask info` reports).
 * @example usesTotalSegmentatorLabels(seg.mapping.items());
 */
export function usesTotalSegmentatorLabels(items: Iterable<readonly [string, number]>): boolean {
  let any = false;
  for (const [name, label] of items) {
    if (!isClass(name) || TOTALSEGMENTATOR_CLASSES[name] !== label) return false;
    any = true;
  }
  return any;
}
