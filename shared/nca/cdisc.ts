// CDISC SDTM PP test codes (PPTESTCD) and names (PPTEST) of the NCA parameters, with their unit kind.
// Codes follow CDISC SDTM Controlled Terminology codelist C85493 (PKPARMCD) / C85839 (PKPARM).
// The interval codes (AUCTAU, CAVG, CTROUGH, FLUCP, FLUCPTAU, SWING, SWINGTAU, AILAMZ, ARAUC, CLTAU,
// CLFTAU, VZTAU, VZFTAU) are the CT names for dosing-interval parameters; LAMZICPT (λz intercept) is
// used by several NCA tools but should be checked against the CT release the study pins.

import type { UnitKind } from './units';

export interface PpTerm {
  name: string;
  kind: UnitKind;
}

export const PP_TERMS = {
  CMAX: { name: 'Max Conc', kind: 'conc' },
  TMAX: { name: 'Time of CMAX', kind: 'time' },
  CMIN: { name: 'Min Conc', kind: 'conc' },
  TMIN: { name: 'Time of CMIN Observation', kind: 'time' },
  TLST: { name: 'Time of Last Nonzero Conc', kind: 'time' },
  CLST: { name: 'Last Nonzero Conc', kind: 'conc' },
  CLSTP: { name: 'Last Nonzero Conc Predicted', kind: 'conc' },
  TLAG: { name: 'Time Until First Nonzero Conc', kind: 'time' },
  C0: { name: 'Initial Conc', kind: 'conc' },
  AUCLST: { name: 'AUC to Last Nonzero Conc', kind: 'auc' },
  AUCALL: { name: 'AUC All', kind: 'auc' },
  AUCIFO: { name: 'AUC Infinity Obs', kind: 'auc' },
  AUCIFP: { name: 'AUC Infinity Pred', kind: 'auc' },
  AUCPEO: { name: 'AUC %Extrapolation Obs', kind: 'percent' },
  AUCPEP: { name: 'AUC %Extrapolation Pred', kind: 'percent' },
  AUCPBEO: { name: 'AUC %Back Extrapolation Obs', kind: 'percent' },
  AUCPBEP: { name: 'AUC %Back Extrapolation Pred', kind: 'percent' },
  CMAXD: { name: 'Max Conc Norm by Dose', kind: 'concPerDose' },
  AUCLSTD: { name: 'AUC to Last Nonzero Conc Norm by Dose', kind: 'aucPerDose' },
  AUCIFOD: { name: 'AUC Infinity Obs Norm by Dose', kind: 'aucPerDose' },
  AUCIFPD: { name: 'AUC Infinity Pred Norm by Dose', kind: 'aucPerDose' },
  LAMZ: { name: 'Lambda z', kind: 'rate' },
  LAMZHL: { name: 'Half-Life Lambda z', kind: 'time' },
  LAMZNPT: { name: 'Number of Points for Lambda z', kind: 'count' },
  LAMZLL: { name: 'Lambda z Lower Limit', kind: 'time' },
  LAMZUL: { name: 'Lambda z Upper Limit', kind: 'time' },
  LAMZSPN: { name: 'Lambda z Span', kind: 'none' },
  LAMZICPT: { name: 'Lambda z Intercept', kind: 'none' },
  R2: { name: 'R Squared', kind: 'none' },
  R2ADJ: { name: 'R Squared Adjusted', kind: 'none' },
  CORRXY: { name: 'Correlation Between TimeX and Log ConcY', kind: 'none' },
  AUMCLST: { name: 'AUMC to Last Nonzero Conc', kind: 'aumc' },
  AUMCIFO: { name: 'AUMC Infinity Obs', kind: 'aumc' },
  AUMCIFP: { name: 'AUMC Infinity Pred', kind: 'aumc' },
  AUMCPEO: { name: 'AUMC % Extrapolation Obs', kind: 'percent' },
  AUMCPEP: { name: 'AUMC % Extrapolation Pred', kind: 'percent' },
  MRTEVLST: { name: 'MRT Extravasc to Last Nonzero Conc', kind: 'time' },
  MRTEVIFO: { name: 'MRT Extravasc Infinity Obs', kind: 'time' },
  MRTEVIFP: { name: 'MRT Extravasc Infinity Pred', kind: 'time' },
  MRTIVLST: { name: 'MRT Intravasc to Last Nonzero Conc', kind: 'time' },
  MRTIVIFO: { name: 'MRT Intravasc Infinity Obs', kind: 'time' },
  MRTIVIFP: { name: 'MRT Intravasc Infinity Pred', kind: 'time' },
  CLO: { name: 'Total CL Obs', kind: 'clearance' },
  CLP: { name: 'Total CL Pred', kind: 'clearance' },
  CLFO: { name: 'Total CL Obs by F', kind: 'clearance' },
  CLFP: { name: 'Total CL Pred by F', kind: 'clearance' },
  VZO: { name: 'Vz Obs', kind: 'volume' },
  VZP: { name: 'Vz Pred', kind: 'volume' },
  VZFO: { name: 'Vz Obs by F', kind: 'volume' },
  VZFP: { name: 'Vz Pred by F', kind: 'volume' },
  VSSO: { name: 'Vol Dist Steady State Obs', kind: 'volume' },
  VSSP: { name: 'Vol Dist Steady State Pred', kind: 'volume' },
  AUCTAU: { name: 'AUC Over Dosing Interval', kind: 'auc' },
  AUCTAUD: { name: 'AUC Over Dosing Interval Norm by Dose', kind: 'aucPerDose' },
  AUMCTAU: { name: 'AUMC Over Dosing Interval', kind: 'aumc' },
  CTROUGH: { name: 'Conc Trough', kind: 'conc' },
  CAVG: { name: 'Average Conc', kind: 'conc' },
  FLUCP: { name: 'Fluctuation%', kind: 'percent' },
  FLUCPTAU: { name: 'Fluctuation% Tau', kind: 'percent' },
  SWING: { name: 'Swing', kind: 'none' },
  SWINGTAU: { name: 'Swing Tau', kind: 'none' },
  AILAMZ: { name: 'Accumulation Index using Lambda z', kind: 'none' },
  ARAUC: { name: 'Accumulation Ratio AUC', kind: 'none' },
  CLTAU: { name: 'Total CL for Dose Int', kind: 'clearance' },
  CLFTAU: { name: 'Total CL by F for Dose Int', kind: 'clearance' },
  VZTAU: { name: 'Vz for Dose Int', kind: 'volume' },
  VZFTAU: { name: 'Vz for Dose Int by F', kind: 'volume' },
} as const satisfies Record<string, PpTerm>;

export type PpTestCd = keyof typeof PP_TERMS;

/**
 * Parameters that need λz (the fit itself, t½, the extrapolation to infinity and everything computed
 * from AUC0-inf, and the interval values that are extrapolated beyond Tlast with λz). When λz is not
 * estimable they are empty and carry the reason (lambdaZ.ts lambdaZEstimability).
 */
export const LAMBDA_Z_DEPENDENT: ReadonlySet<string> = new Set<PpTestCd>([
  'LAMZ', 'LAMZHL', 'LAMZNPT', 'LAMZLL', 'LAMZUL', 'LAMZSPN', 'LAMZICPT', 'R2', 'R2ADJ', 'CORRXY', 'CLSTP',
  'AUCIFO', 'AUCIFP', 'AUCIFOD', 'AUCIFPD', 'AUCPEO', 'AUCPEP', 'AUCPBEO', 'AUCPBEP',
  'AUMCIFO', 'AUMCIFP', 'AUMCPEO', 'AUMCPEP', 'MRTEVIFO', 'MRTEVIFP', 'MRTIVIFO', 'MRTIVIFP',
  'CLO', 'CLP', 'CLFO', 'CLFP', 'VZO', 'VZP', 'VZFO', 'VZFP', 'VSSO', 'VSSP',
  'AILAMZ', 'VZTAU', 'VZFTAU', 'AUCTAU', 'AUCTAUD', 'AUMCTAU', 'CTROUGH', 'CAVG', 'FLUCPTAU', 'SWINGTAU', 'CLTAU', 'CLFTAU',
]);
