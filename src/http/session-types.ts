import "express-session";

declare module "express-session" {
  interface SessionData {
    userId?: number;
    /** When the user logged in (ms): sessions end after SESSION_MAX_HOURS whatever the activity. */
    loginAt?: number;
    flash?: { kind: "success" | "error" | "info"; text: string }[];
    /** How this session was signed in: with a password (and perhaps a second factor) or through the board's provider. */
    signInMethod?: "password" | "sso";
    /** Shown in the user's list of their sessions. */
    userAgent?: string;
    ip?: string;
    /** Password proven, second factor still to come: who is on the way in, where to, since when (ms). */
    twoFactor?: { userId: number; next: string; startedAt: number };
  }
}
