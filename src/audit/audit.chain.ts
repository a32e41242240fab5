// The change history as a hash chain, so tampering shows: every entry carries
//   hash = SHA-256( canonical JSON of its content fields  "\n"  the previous entry's hash )
// with prev_hash = the previous entry's hash (null for the first). Changing, removing or inserting an entry
// with plain SQL breaks the chain at that spot, and verifyAuditChain points to it.
//
// The chain is not keyed: whoever can write the database file can also recompute every hash after a change.
// What it proves is that the log was not changed *since a hash was written down elsewhere*: the verification
// page shows the newest hash, and every report and snapshot of the change history carries it.
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { cachedStatement, clientOf, type DbOrTx } from "../db/client";

const COLUMNS = "id, at, user_id, actor, action, entity_type, entity_id, summary, before, after, hash, prev_hash";

export type RawEntry = {
  id: number;
  at: number;
  user_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: number | null;
  summary: string;
  before: string | null;
  after: string | null;
  hash: string | null;
  prev_hash: string | null;
};

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(",")}}`;
}

/** Stored JSON text back to a value; text that is not JSON (tampered) is hashed as the text itself. */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The hash of an entry's content (as stored) chained to `prevHash`. */
export function entryHash(entry: Omit<RawEntry, "hash" | "prev_hash">, prevHash: string | null): string {
  const content = canonicalJson({
    id: entry.id,
    at: entry.at,
    userId: entry.user_id,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entity_type,
    entityId: entry.entity_id,
    summary: entry.summary,
    before: parsed(entry.before),
    after: parsed(entry.after),
  });
  return createHash("sha256").update(`${content}\n${prevHash ?? ""}`, "utf8").digest("hex");
}

const byId = (client: Database.Database, id: number) => cachedStatement(client, `select ${COLUMNS} from audit_log where id = ?`).get(id) as RawEntry | undefined;

/**
 * Seals the entry just written (by recordChange, inside its transaction): its hash over its row as stored,
 * linked to the newest sealed entry. An unsealed entry before it (written with plain SQL) is left as it is,
 * so the check reports it instead of this entry vouching for it.
 */
export function sealEntry(db: DbOrTx, id: number): void {
  const client = clientOf(db);
  const prevHash = (cachedStatement(client, "select hash from audit_log where id < ? and hash is not null order by id desc limit 1").pluck().get(id) as string | undefined) ?? null;
  const entry = byId(client, id)!;
  cachedStatement(client, "update audit_log set hash = ?, prev_hash = ? where id = ?").run(entryHash(entry, prevHash), prevHash, id);
}

/**
 * Recomputes the seal of entry `id` and of every sealed entry after it, in id order. Only for entries of the
 * transaction still open (recordChange merging two entries of one record): nothing after them is committed,
 * so no hash anyone may have noted down changes.
 */
export function resealFrom(db: DbOrTx, id: number): void {
  const client = clientOf(db);
  let prevHash = (cachedStatement(client, "select hash from audit_log where id < ? and hash is not null order by id desc limit 1").pluck().get(id) as string | undefined) ?? null;
  const update = cachedStatement(client, "update audit_log set hash = ?, prev_hash = ? where id = ?");
  for (const entry of cachedStatement(client, `select ${COLUMNS} from audit_log where id >= ? order by id`).all(id) as RawEntry[]) {
    if (entry.hash === null) continue;
    const hash = entryHash(entry, prevHash);
    update.run(hash, prevHash, entry.id);
    prevHash = hash;
  }
}

const BATCH = 1000;

/**
 * Seals the change history of a register from before the chain existed: when no entry has a hash yet, all of them,
 * in id order. Once one entry is sealed, the chain exists, and an entry without a hash was written outside the
 * register (by hand, with plain SQL): sealing it would vouch for it, so it is left as it is and reported (see
 * unsealedEntries, verifyAuditChain). Returns how many were sealed.
 */
export function sealAuditChain(db: DbOrTx): number {
  const client = clientOf(db);
  const run = () => {
    if (client.prepare("select 1 from audit_log where hash is not null limit 1").get()) return 0;
    let prevHash: string | null = null;
    let after = 0;
    let sealed = 0;
    const next = client.prepare(`select ${COLUMNS} from audit_log where id > ? order by id limit ${BATCH}`);
    const update = client.prepare("update audit_log set hash = ?, prev_hash = ? where id = ?");
    for (;;) {
      const entries = next.all(after) as RawEntry[];
      if (entries.length === 0) break;
      for (const entry of entries) {
        const hash = entryHash(entry, prevHash);
        update.run(hash, prevHash, entry.id);
        prevHash = hash;
        after = entry.id;
        sealed += 1;
      }
    }
    return sealed;
  };
  return client.inTransaction ? run() : client.transaction(run).immediate();
}

/** How many shown by id in a report of unsealed entries. */
const UNSEALED_SHOWN = 20;

export type Unsealed = {
  /** Entries without a hash. */
  count: number;
  /** The first of them (at most 20), by id. */
  ids: number[];
  /** True when no entry has a hash at all: a register from before the chain, sealed at its next start. */
  beforeChain: boolean;
};

/** The entries without a hash. */
export function unsealedEntries(db: DbOrTx): Unsealed {
  const client = clientOf(db);
  const count = client.prepare("select count(*) from audit_log where hash is null").pluck().get() as number;
  const ids = count === 0 ? [] : (client.prepare(`select id from audit_log where hash is null order by id limit ${UNSEALED_SHOWN}`).pluck().all() as number[]);
  const beforeChain = count > 0 && !client.prepare("select 1 from audit_log where hash is not null limit 1").get();
  return { count, ids, beforeChain };
}

export type ChainProblemKind = "altered" | "removed" | "inserted" | "unsealed";

export type ChainResult = {
  ok: boolean;
  /** Entries in the log. */
  total: number;
  /** Entries found in order before the first problem (all of them when ok). */
  checked: number;
  /** The newest entry, to note down: a later check that still finds it proves nothing before it changed. */
  lastId: number | null;
  lastHash: string | null;
  problem?: { kind: ChainProblemKind; id: number; previousId: number | null };
  /** Every entry without a hash, wherever it is (the walk stops at the first problem; these are all of them). */
  unsealed: Unsealed;
};

/**
 * Walks the whole chain in id order and stops at the first entry that does not fit:
 * - altered: its hash does not match its content (or its link was changed);
 * - removed: it is sealed correctly but points to an entry that no longer exists (a gap before it, or the entry
 *   before it was changed and re-hashed);
 * - inserted: the chain runs past it (the next entry points to the one before it), it has no hash while entries
 *   after it do, or two entries claim the same predecessor: then the shorter branch is the inserted one;
 * - unsealed: it and everything after it has no hash (written outside the register, or before the chain existed
 *   when no entry has a hash at all).
 */
export function verifyAuditChain(db: DbOrTx): ChainResult {
  const client = clientOf(db);
  const total = client.prepare("select count(*) from audit_log").pluck().get() as number;
  const last = client.prepare("select id, hash from audit_log order by id desc limit 1").get() as { id: number; hash: string | null } | undefined;
  const base = { total, lastId: last?.id ?? null, lastHash: last?.hash ?? null, unsealed: unsealedEntries(db) };
  const batch = client.prepare(`select ${COLUMNS} from audit_log where id > ? order by id limit ${BATCH}`);
  const following = (id: number) => client.prepare(`select ${COLUMNS} from audit_log where id > ? order by id limit 1`).get(id) as RawEntry | undefined;
  const valid = (e: RawEntry) => e.hash !== null && e.hash === entryHash(e, e.prev_hash);

  let previous: RawEntry | undefined;
  let checked = 0;
  let after = 0;
  for (;;) {
    const entries = batch.all(after) as RawEntry[];
    if (entries.length === 0) break;
    for (const e of entries) {
      const expected = previous?.hash ?? null;
      const linked = e.prev_hash === expected;
      const fail = (kind: ChainProblemKind, id = e.id, previousId = previous?.id ?? null): ChainResult => ({
        ok: false,
        ...base,
        checked,
        problem: { kind, id, previousId },
      });
      // No hash: at the end, entries not sealed yet; between sealed entries, written outside the register.
      if (e.hash === null) return fail(client.prepare("select 1 from audit_log where id > ? and hash is not null limit 1").get(e.id) ? "inserted" : "unsealed");
      const sound = valid(e);
      if (linked && sound) {
        previous = e;
        after = e.id;
        checked += 1;
        continue;
      }
      const next = following(e.id);
      // The next entry points past e, to e's predecessor: the chain does not include e.
      if (next && next.prev_hash === expected && next.prev_hash !== e.hash) return fail("inserted");
      if (linked) return fail("altered");
      if (!sound) return fail(next?.prev_hash === e.hash ? "altered" : "inserted");
      // Sealed correctly, but linked to something other than the entry before it.
      const forkAt =
        e.prev_hash === null
          ? { id: 0 }
          : (client.prepare("select id from audit_log where hash = ? and id < ? order by id limit 1").get(e.prev_hash, e.id) as { id: number } | undefined);
      if (!forkAt) return fail("removed");
      // Two branches grow from forkAt: the one already walked (up to `previous`) and the one starting at e.
      const walked = client.prepare("select count(*) from audit_log where id > ? and id < ?").pluck().get(forkAt.id, e.id) as number;
      const ahead = linkedRunLength(client, e, valid);
      if (walked < ahead) {
        const firstOfWalked = following(forkAt.id)!;
        return fail("inserted", firstOfWalked.id, forkAt.id === 0 ? null : forkAt.id);
      }
      return fail("inserted");
    }
  }
  return { ok: true, ...base, checked };
}

/** How many entries, from `start` on, follow each other correctly. */
function linkedRunLength(client: Database.Database, start: RawEntry, valid: (e: RawEntry) => boolean): number {
  const next = client.prepare(`select ${COLUMNS} from audit_log where id > ? order by id limit 1`);
  let current = start;
  let length = 1;
  for (;;) {
    const e = next.get(current.id) as RawEntry | undefined;
    if (!e || e.prev_hash !== current.hash || !valid(e)) return length;
    current = e;
    length += 1;
  }
}
