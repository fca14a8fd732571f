// Laboratory safety: CTCAE v5.0 grades of lab results, shift table, eDISH.
export * from './ctcae';
export * from './summary';
