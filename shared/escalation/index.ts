// Dose-escalation rule engine: pure functions (docs/CLINICAL_RULES.md#escalation-history … #incomplete-cohorts).
export * from './vocabulary.js';
export * from './history.js';
export * from './probability.js';
export * from './completion.js';
export * from './threePlusThree.js';
export * from './atd.js';
export * from './boin.js';
export * from './mtpi2.js';
export * from './recommend.js';
