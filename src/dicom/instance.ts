import { T } from "./tags.js";
import { newUid, type DicomElements } from "./write.js";

// What every instance medmask writes carries (PS3.3: the Patient, General Study, General or
// RT Series, Frame of Reference, General Equipment and SOP Common modules), for the SEG and
// RT Structure Set writers: new identities, which a source series' patient, study and frame of
// reference then replace.

/** What an instance says of itself. */
export interface InstanceIdentity {
  sopClass: string;
  sopInstance: string;
  modality: string;
  seriesDescription: string;
  /** medmask's version, as SoftwareVersions. */
  version: string;
  /** DICOM DA and TM of now (`dicomNow()`). */
  now: { date: string; time: string };
  /** StudyInstanceUID and FrameOfReferenceUID (default: new ones). */
  study?: string;
  frameOfReference?: string;
}

/**
 * The patient (empty), study, series, frame of reference, equipment and SOP attributes of a new
 * instance; the writer adds its own modules beside them.
 * @example const made = [...instanceModules({ sopClass, sopInstance, modality: "SEG", ... }), ...segmentModules];
 */
export function instanceModules(o: InstanceIdentity): DicomElements {
  return [
    [0x00080005, "CS", "ISO_IR 192"],
    [T.SOPClassUID, "UI", o.sopClass],
    [T.SOPInstanceUID, "UI", o.sopInstance],
    [0x00080020, "DA", o.now.date],
    [0x00080021, "DA", o.now.date],
    [0x00080030, "TM", o.now.time],
    [0x00080031, "TM", o.now.time],
    [0x00080050, "SH", ""],
    [T.Modality, "CS", o.modality],
    [0x00080070, "LO", "medmask"],
    [0x00080090, "PN", ""],
    [0x0008103e, "LO", o.seriesDescription.slice(0, 64)],
    [0x00081090, "LO", "medmask"],
    [0x00100010, "PN", ""],
    [0x00100020, "LO", ""],
    [0x00100030, "DA", ""],
    [0x00100040, "CS", ""],
    [0x00181020, "LO", o.version],
    [T.StudyInstanceUID, "UI", o.study ?? newUid()],
    [T.SeriesInstanceUID, "UI", newUid()],
    [0x00200010, "SH", ""],
    [0x00200011, "IS", "1"],
    [0x00200013, "IS", "1"],
    [T.FrameOfReferenceUID, "UI", o.frameOfReference ?? newUid()],
    [T.PositionReferenceIndicator, "LO", ""],
  ];
}

/** `made` with the attributes a source series gives (`copied`: its patient, study, frame of reference) in place of the new ones. */
export function withSourceIdentity(made: DicomElements, copied: DicomElements): DicomElements {
  const given = new Map(copied.map((e) => [e[0], e]));
  return [...made.map((e) => given.get(e[0]) ?? e), ...[...given.values()].filter((e) => !made.some((m) => m[0] === e[0]))];
}
