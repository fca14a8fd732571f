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
  /** End of treatment: the first disposition event that ends treatment (DS), or null while ongoing. */
  endOfTreatmentDtc: string | null;
  endOfTreatmentReason: string | null;
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
  dlt: boolean;
  aeacn: string | null;
  aeout: string | null;
  aestdtc: string | null;
  aeendtc: string | null;
  rowNo: number;
}

