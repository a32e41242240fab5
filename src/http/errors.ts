// Typed errors that services throw and the one error handler answers.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly titleKey: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, "errors.badRequestTitle", message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = "Geen toegang") {
    super(403, "errors.forbiddenTitle", message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = "Niet gevonden") {
    super(404, "errors.notFoundTitle", message);
  }
}

/** A rule of the register refused the change; `field` names the form field it belongs to, if any. */
export class ValidationError extends HttpError {
  constructor(
    readonly fieldErrors: Record<string, string[]>,
    message = "Ongeldige invoer",
  ) {
    super(422, "errors.badRequestTitle", message);
  }
}

/** Someone else saved the record in between: `current` is the newer version, for showing side by side. */
export class ConflictError<T = unknown> extends HttpError {
  constructor(readonly current: T) {
    super(409, "errors.conflictTitle", "De gegevens zijn intussen door iemand anders gewijzigd.");
  }
}

type SqliteError = Error & { code?: string };

/** Maps SQLite constraint errors to a Dutch message; other errors return null. */
export function constraintMessage(err: unknown): string | null {
  const code = (err as SqliteError | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_CONSTRAINT")) return null;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return "unique";
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return "foreignKey";
  return "constraint";
}
