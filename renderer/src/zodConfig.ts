import { z } from 'zod';

// zod compiles object parsers with `new Function` unless told not to; under the app's CSP (no
// 'unsafe-eval') its probe for that is reported as a CSP violation on every start. Jitless parsing
// is as correct, a little slower, and never probes. Imported first by main.tsx, before any schema is used.
z.config({ jitless: true });
