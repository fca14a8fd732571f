// First come, first served async locks. The core is one Node process: a lock held across an `await`
// (a password hash, an import reading files) keeps every other holder of the same lock waiting in
// arrival order, instead of letting them interleave (the lock-out race of issue 11) or block the event
// loop in SQLite's busy wait (the "database is locked" of issue 11).

export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private readonly word: Int32Array | null;

  /**
   * `shared`: a lock word that other threads' Mutexes over the same buffer hold too (worker/pool.ts:
   * the core's threads share one write gate). Within a thread callers still go first come, first served.
   */
  constructor(shared?: SharedArrayBuffer) {
    this.word = shared ? new Int32Array(shared, 0, 1) : null;
  }

  /** A buffer for `new Mutex(shared)` in each thread that shares the lock. */
  static sharedBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(4);
  }

  /** Runs `fn` once every earlier caller has finished. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    this.waiting++;
    return prev.then(async () => {
      if (this.word) await lockWord(this.word);
      try {
        return await fn();
      } finally {
        if (this.word) unlockWord(this.word);
        this.waiting--;
        release();
      }
    });
  }

  /** Callers holding or waiting for the lock. */
  get pending(): number {
    return this.waiting;
  }
}

/** One Mutex per key (e.g. per account); a key's entry is dropped when nobody holds or waits for it. */
export class KeyedMutex {
  private readonly locks = new Map<string, Mutex>();

  run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    let m = this.locks.get(key);
    if (!m) this.locks.set(key, (m = new Mutex()));
    const lock = m;
    return lock.run(fn).finally(() => {
      if (lock.pending === 0 && this.locks.get(key) === lock) this.locks.delete(key);
    });
  }
}

// A lock word: 0 free, 1 held. Waiting is asynchronous (Atomics.waitAsync), so a thread waiting for
// another thread's import keeps answering its other calls.
async function lockWord(word: Int32Array): Promise<void> {
  while (Atomics.compareExchange(word, 0, 0, 1) !== 0) {
    const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(word, 0, 1);
    if (w.async) await w.value;
  }
}

function unlockWord(word: Int32Array): void {
  Atomics.store(word, 0, 0);
  Atomics.notify(word, 0, 1);
}

/** Atomics.waitAsync (Node 16+, typed from lib ES2024 on). */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}
