// A schema built on first use. Building the contract's zod schemas costs tens of milliseconds of CPU
// at every start (zod 4 sets up each schema instance eagerly), and a command-line calculation such as
// `dosedesk ci` validates one method's input alone. `lazySchema(() => z.object(…))` has the type of the
// schema it builds and stands for it in every use: the first property read (parse, shape, options,
// nesting in another schema at its first parse, …) builds it once, and every later read goes to it.

let builds = 0;
/** How many lazy schemas (and contract methods' schemas) have been built so far: for tests of start-up. */
export const schemasBuilt = (): number => builds;
/** Builds a lazy schema and counts it. */
export function buildCounted<T>(build: () => T): T {
  builds++;
  return build();
}

/** The schema `build` returns, built on its first use; until then nothing of it exists. */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= buildCounted(build));
  // The target stays an empty extensible object: the traps answer from the real schema, and a
  // descriptor is reported configurable so that the proxy invariants hold for the empty target.
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(real(), key),
    set: (_t, key, value) => Reflect.set(real(), key, value),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_t, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_t, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
