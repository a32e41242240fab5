// Which outermost transaction a connection is in. better-sqlite3 runs a transaction function synchronously and
// nests an inner one as a savepoint; counting the ends of the outermost ones numbers them, so work that belongs to
// "this transaction" (the change history merging one record's entries into one) can tell it from the one before,
// even when both run in the same tick. A transaction begun with a plain BEGIN statement is not counted.
import type Database from "better-sqlite3";

type State = { depth: number; serial: number };
const states = new WeakMap<Database.Database, State>();

/** Numbers the outermost transactions of `sqlite` from now on (called once, by openDatabase). */
export function countTransactions(sqlite: Database.Database): void {
  if (states.has(sqlite)) return;
  const state: State = { depth: 0, serial: 0 };
  states.set(sqlite, state);
  const transaction = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) =>
    transaction(function counted(this: unknown, ...args: unknown[]) {
      state.depth += 1;
      try {
        return fn.apply(this, args);
      } finally {
        state.depth -= 1;
        if (state.depth === 0) state.serial += 1;
      }
    })) as typeof sqlite.transaction;
}

/** The number of the transaction `sqlite` is in, or undefined outside one (or on a connection not counted). */
export function transactionSerial(sqlite: Database.Database): number | undefined {
  const state = states.get(sqlite);
  return state && state.depth > 0 && sqlite.inTransaction ? state.serial : undefined;
}
