// Safety: pure rules (worst grade, incidence, listings, DLT table and escalation history from a snapshot).
export { isTreatmentEmergent } from '../cohorts';
export * from './grades';
export * from './incidence';
export * from './listings';
export * from './escalationHistory';
export * from './dltTable';
export * from './lookahead';
export * from './aeTables';
export * from './aeFacts';
