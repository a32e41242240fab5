import "express-session";

declare module "express-session" {
  interface SessionData {
    userId?: number;
    /** When the user logged in (ms): sessions end after SESSION_MAX_HOURS whatever the activity. */
    loginAt?: number;
    flash?: { kind: "success" | "error" | "info"; text: string }[];
  }
}
