import type { Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { board } from "../db/schema";
import { updateVersioned } from "../lib/versioned";
import type { Board } from "./board.repository";
import type { BoardInput } from "./board.schemas";

/** Saves the board's details; a form loaded before someone else saved gets a ConflictError with the newer version. */
export function updateBoard(db: Db, actor: Actor, input: BoardInput): Board {
  const { version, ...values } = input;
  return db.transaction(
    (tx) =>
      updateVersioned(tx, board, { actor, entityType: "board", summary: "Bestuursgegevens gewijzigd" }, 1, version, {
        name: values.name,
        kvk: values.kvk ?? null,
        address: values.address ?? null,
        email: values.email ?? null,
        dpoName: values.dpoName ?? null,
        dpoEmail: values.dpoEmail ?? null,
        dpoPhone: values.dpoPhone ?? null,
        privacyOfficerName: values.privacyOfficerName ?? null,
      }).after,
  );
}
