import { createRequire } from 'node:module';

/**
 * Counts the SQL statements the app sends (BEGIN and COMMIT included), to show
 * round trips per call and per text. A counter around `pg`'s Client#query in
 * this (the app's) process only; nothing is timed or changed. MikroORM brings
 * its own copy of `pg`, so every copy the app can load is wrapped.
 */
export class QueryCounter {
  private count = 0;

  constructor() {
    const here = createRequire(import.meta.url);
    const copies = new Set<unknown>();
    for (const from of ['@mikro-orm/postgresql/package.json', 'knex/package.json']) {
      try {
        copies.add(createRequire(here.resolve(from))('pg'));
      } catch {
        // Not installed that way: nothing to wrap there.
      }
    }
    for (const pg of copies) this.wrap(pg as { Client?: { prototype: { query: (...args: unknown[]) => unknown } } });
  }

  /** Statements sent since the last read with reset. */
  read(reset: boolean): number {
    const value = this.count;
    if (reset) this.count = 0;
    return value;
  }

  private wrap(pg: { Client?: { prototype: { query: (...args: unknown[]) => unknown } } }): void {
    const proto = pg.Client?.prototype;
    if (!proto || (proto.query as { counted?: boolean }).counted) return;
    const original = proto.query;
    const counter = this;
    const counted = function (this: unknown, ...args: unknown[]): unknown {
      counter.count += 1;
      return original.apply(this, args);
    };
    (counted as { counted?: boolean }).counted = true;
    proto.query = counted;
  }
}
