import type { EndOfTreatment } from './endOfTreatment';

// The per-subject and per-AE facts the review queries hand to the clinical rules (pure data).

export interface SubjectFacts {
  usubjid: string;
  siteid: string | null;
  age: number | null;
  sex: string | null;
  arm: string | null;
  /** 'expansion' when the arm or SUPPDM marks the subject as part of the expansion cohort. */
  part: 'escalation' | 'expansion';
  firstDoseDtc: string | null;
  firstDose: number | null;
  doseUnit: string | null;
  /** Start dates (ISO) of every dose. */
  doseDtcs: string[];
  lastDoseDtc: string | null;
  deathDtc: string | null;
  /** End of treatment (shared/endOfTreatment.ts): the DS treatment disposition, else the last exposure once the study ended; null while ongoing. */
  endOfTreatmentDtc: string | null;
  endOfTreatmentReason: string | null;
  /** Where the end of treatment came from and what the last exposure covers (DLT window); absent in hand-made facts. */
  endOfTreatment?: EndOfTreatment;
  /** End of study (DS end-of-study record, else death), or null. */
  endOfStudyDtc?: string | null;
  /** On placebo (shared/placebo.ts): its own "Placebo" row, never in the escalation. */
  placebo?: boolean;
}

export interface AeFacts {
  usubjid: string;
  aeseq: number | null;
  aeterm: string;
  aedecod: string | null;
  aebodsys: string | null;
  grade: number | null;
  serious: boolean;
  related: boolean;
  /** AEREL as recorded (sponsor-defined; shared/safety/aeTables.ts aeRelationship reads it). */
  aerel?: string | null;
  dlt: boolean;
  aeacn: string | null;
  aeout: string | null;
  /** AESEV (MILD / MODERATE / SEVERE): severity, never a CTCAE grade; shown beside a missing grade. */
  severity?: string | null;
  /** Fatal outcome (AEOUT FATAL or AESDTH Y) without AESER = Y: a data query (shared/safety/grades.ts). */
  fatalNotSerious?: boolean;
  aestdtc: string | null;
  aeendtc: string | null;
  rowNo: number;
}

