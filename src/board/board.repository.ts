import { eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { board } from "../db/schema";

export type Board = typeof board.$inferSelect;

export function findBoard(db: DbOrTx): Board | undefined {
  return db.select().from(board).where(eq(board.id, 1)).get();
}

/** The board row exists from the first start on; its name can be changed by an admin. */
export function ensureBoard(db: DbOrTx, name = "Schoolbestuur"): Board {
  db.insert(board).values({ id: 1, name }).onConflictDoNothing().run();
  return findBoard(db)!;
}
