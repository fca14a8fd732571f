// PK from a snapshot — pure part: profiles from PC/EX (profiles.ts), BLQ strings (concentration.ts),
// clocks and ISO 8601 durations (times.ts), summary statistics and the seed's parameters (summary.ts).
// The NCA itself is shared/nca.
export * from './times';
export * from './concentration';
export * from './profiles';
export * from './summary';
export * from './urine';
export * from './reported';
