import { contract } from '../../../shared/contract';

// Which contract methods write: the core runs them one at a time under its write gate (app.ts), and
// the core's threads send them to the writer thread (worker/pool.ts).

/**
 * Methods that write to the database: every method that takes a session (a live session's activity
 * time is written), and these, which write without one.
 */
const WRITES_WITHOUT_SESSION = new Set(['users.bootstrap', 'auth.login', 'auth.changePassword', 'meetings.sign', 'meetings.exportRecord', 'snapshot.import', 'study.saveDefinition', 'pk.setLambdaZ']);
// Per method on first ask, not for the whole contract at load: reading `input` builds that method's schema.
const writeMethods = new Map<string, boolean>();
export function isWrite(method: string): boolean {
  let w = writeMethods.get(method);
  if (w === undefined) {
    const def = Object.hasOwn(contract, method) ? (contract as Record<string, { input: unknown }>)[method] : undefined;
    w = WRITES_WITHOUT_SESSION.has(method) || (def !== undefined && inputKeys(def.input).includes('session'));
    writeMethods.set(method, w);
  }
  return w;
}

function inputKeys(schema: unknown): string[] {
  // z.object, or z.object(...).refine(...) (ZodEffects around the object)
  const s = schema as { shape?: Record<string, unknown>; _def?: { schema?: { shape?: Record<string, unknown> } } };
  return Object.keys(s.shape ?? s._def?.schema?.shape ?? {});
}
