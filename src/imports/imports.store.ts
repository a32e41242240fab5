// Uploaded files between preview and commit. The parsed rows stay on the server, under a random id that is
// only valid for the user and the session that uploaded them: the preview and commit forms carry nothing
// but that id (and a fingerprint of what was shown), so no data travels through hidden fields. The store
// lives in the process, like the register itself (one SQLite database, one process); an upload that is not
// committed within the time-to-live is forgotten, as is everything at a restart (the user uploads again).
import { randomBytes } from "node:crypto";
import type { ImportKind } from "./imports.fields";
import type { Mapping } from "./imports.mapping";
import type { ParsedSheet } from "./imports.parse";

export type PendingImport = {
  id: string;
  userId: number;
  sessionId: string;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  sheet: ParsedSheet;
  mapping: Mapping;
  createdAt: number;
};

const TTL_MS = 2 * 60 * 60 * 1000;
const MAX_PER_USER = 3;
const MAX_TOTAL = 50;

export const PENDING_ID = /^[0-9a-f]{32}$/;

export class PendingImports {
  private readonly items = new Map<string, PendingImport>();

  constructor(private readonly now: () => number = Date.now) {}

  add(values: Omit<PendingImport, "id" | "createdAt">): PendingImport {
    this.prune();
    const own = [...this.items.values()].filter((item) => item.userId === values.userId).sort((a, b) => a.createdAt - b.createdAt);
    for (const old of own.slice(0, Math.max(0, own.length - MAX_PER_USER + 1))) this.items.delete(old.id);
    while (this.items.size >= MAX_TOTAL) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
    const item: PendingImport = { ...values, id: randomBytes(16).toString("hex"), createdAt: this.now() };
    this.items.set(item.id, item);
    return item;
  }

  /** The upload, if it exists and belongs to this user in this session; undefined otherwise. */
  find(id: string, owner: { userId: number; sessionId: string }): PendingImport | undefined {
    this.prune();
    const item = PENDING_ID.test(id) ? this.items.get(id) : undefined;
    if (!item || item.userId !== owner.userId || item.sessionId !== owner.sessionId) return undefined;
    return item;
  }

  remove(id: string): void {
    this.items.delete(id);
  }

  private prune(): void {
    const cutoff = this.now() - TTL_MS;
    for (const [id, item] of this.items) if (item.createdAt < cutoff) this.items.delete(id);
  }
}
