// Non-compartmental analysis (NCA) — public API.
//   nca(profile, options) → NcaResult: one profile (extravascular, IV bolus, IV infusion; single dose or
//     dosing interval tau), typed fields plus `parameters` (CDISC PPTESTCD, name, value, unit).
//   accumulationRatio(ssResult, firstDoseResult) → ARAUC.
//   doseProportionality(points) → power-model slope b with its 90% CI.
// Rules and sources: nca.ts (conventions), lambdaZ.ts (best fit), auc.ts, blq.ts, parameters.ts, units.ts.
export * from './types';
export { nca, buildParameters, getParameter } from './nca';
export { accumulationRatio } from './accumulation';
export { doseProportionality } from './doseProportionality';
export type { DosePoint, DoseProportionalityResult, DoseProportionalityOptions } from './doseProportionality';
export { DEFAULT_BLQ, cleanConcentrations } from './blq';
export { aucSegment, aumcSegment, interpolateConc, isLogSegment } from './auc';
export { LAMBDA_Z_DEPENDENT, PP_TERMS } from './cdisc';
export { lambdaZEstimability, MIN_HL_POINTS, notEstimable } from './lambdaZ';
export type { LambdaZEstimability } from './lambdaZ';
export type { PpTestCd } from './cdisc';
export { deriveUnits } from './units';
export type { UnitKind, DerivedUnit, UnitTable } from './units';
export * from './parameters';
