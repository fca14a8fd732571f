import { createRequire } from 'node:module';

// Heavy CommonJS packages (better-sqlite3, node-forge) loaded on first use rather than when the module
// that uses them is imported: a command that never opens the database or reads a certificate (for
// example `dosedesk ci`) does not pay their start-up. Resolved from this file, as an import would be.
const requireHere = createRequire(import.meta.url);

/** The package itself, loaded now (call it where it is used). */
export function requireNow<T>(id: string): T {
  return requireHere(id) as T;
}

/** A stand-in for the package that loads it at the first property read (module-level `forge.pki…` keeps working). */
export function requireOnUse<T extends object>(id: string): T {
  let loaded: T | undefined;
  const real = (): T => (loaded ??= requireHere(id) as T);
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(real(), key),
    has: (_t, key) => Reflect.has(real(), key),
  });
}
