import { tag } from "./parse.js";

// The DICOM attributes the SEG and RT Structure Set readers and the SEG writer use (PS3.6
// data dictionary), in one table.

export const T = {
  TransferSyntaxUID: tag(0x0002, 0x0010),
  SOPClassUID: tag(0x0008, 0x0016),
  SOPInstanceUID: tag(0x0008, 0x0018),
  Modality: tag(0x0008, 0x0060),
  CodeValue: tag(0x0008, 0x0100),
  CodingSchemeDesignator: tag(0x0008, 0x0102),
  CodeMeaning: tag(0x0008, 0x0104),
  LongCodeValue: tag(0x0008, 0x0119),
  SliceThickness: tag(0x0018, 0x0050),
  SpacingBetweenSlices: tag(0x0018, 0x0088),
  StudyInstanceUID: tag(0x0020, 0x000d),
  SeriesInstanceUID: tag(0x0020, 0x000e),
  ImagePositionPatient: tag(0x0020, 0x0032),
  ImageOrientationPatient: tag(0x0020, 0x0037),
  FrameOfReferenceUID: tag(0x0020, 0x0052),
  PlanePositionSequence: tag(0x0020, 0x9113),
  PlaneOrientationSequence: tag(0x0020, 0x9116),
  SamplesPerPixel: tag(0x0028, 0x0002),
  NumberOfFrames: tag(0x0028, 0x0008),
  Rows: tag(0x0028, 0x0010),
  Columns: tag(0x0028, 0x0011),
  PixelSpacing: tag(0x0028, 0x0030),
  BitsAllocated: tag(0x0028, 0x0100),
  PixelPaddingValue: tag(0x0028, 0x0120),
  PixelMeasuresSequence: tag(0x0028, 0x9110),
  SegmentationType: tag(0x0062, 0x0001),
  SegmentSequence: tag(0x0062, 0x0002),
  SegmentedPropertyCategoryCodeSequence: tag(0x0062, 0x0003),
  SegmentNumber: tag(0x0062, 0x0004),
  SegmentLabel: tag(0x0062, 0x0005),
  SegmentIdentificationSequence: tag(0x0062, 0x000a),
  ReferencedSegmentNumber: tag(0x0062, 0x000b),
  RecommendedDisplayCIELabValue: tag(0x0062, 0x000d),
  MaximumFractionalValue: tag(0x0062, 0x000e),
  SegmentedPropertyTypeCodeSequence: tag(0x0062, 0x000f),
  SegmentedPropertyTypeModifierCodeSequence: tag(0x0062, 0x0011),
  SharedFunctionalGroupsSequence: tag(0x5200, 0x9229),
  PerFrameFunctionalGroupsSequence: tag(0x5200, 0x9230),
  PixelData: tag(0x7fe0, 0x0010),
  // RT Structure Set (PS3.3 C.8.8.5, C.8.8.6, C.8.8.8).
  StructureSetROISequence: tag(0x3006, 0x0020),
  ROINumber: tag(0x3006, 0x0022),
  ReferencedFrameOfReferenceUID: tag(0x3006, 0x0024),
  ROIName: tag(0x3006, 0x0026),
  ROIDisplayColor: tag(0x3006, 0x002a),
  ROIContourSequence: tag(0x3006, 0x0039),
  ContourSequence: tag(0x3006, 0x0040),
  ContourGeometricType: tag(0x3006, 0x0042),
  ContourData: tag(0x3006, 0x0050),
  RTROIObservationsSequence: tag(0x3006, 0x0080),
  ReferencedROINumber: tag(0x3006, 0x0084),
  RTROIInterpretedType: tag(0x3006, 0x00a4),
} as const;

/** SOP classes: Segmentation Storage and Label Map Segmentation Storage (Supplement 243). */
export const SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
export const LABELMAP_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.7";

/** RT Structure Set Storage. */
export const RT_STRUCT_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.481.3";
