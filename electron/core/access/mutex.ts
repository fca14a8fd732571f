// First come, first served async locks. The core is one Node process: a lock held across an `await`
// (a password hash, an import reading files) keeps every other holder of the same lock waiting in
// arrival order, instead of letting them interleave (the lock-out race of issue 11) or block the event
// loop in SQLite's busy wait (the "database is locked" of issue 11).

export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Runs `fn` once every earlier caller has finished. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    this.waiting++;
    return prev.then(async () => {
      try {
        return await fn();
      } finally {
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
