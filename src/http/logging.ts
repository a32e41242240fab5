// The register's log: one pino logger per app, at LOG_LEVEL, and one line per request (pino-http). A request
// line holds what an operator needs to follow a request and nothing that identifies a person: the request id,
// method, path (query parameter names, never their values: a search for a name is personal data), status,
// response time and the signed-in user's id. No headers are logged, so no cookie or authorization header.
import { types } from "node:util";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "express";
import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";
import { pinoHttp, startTime } from "pino-http";
import type { Config } from "../config";

/** The app's own log as its features call it: a message and, often, the error that caused it. */
export type AppLogger = { info: (...args: unknown[]) => void; error: (...args: unknown[]) => void };

export const REQUEST_ID_HEADER = "X-Request-Id";
// An incoming id (from a proxy or load balancer) is kept only when it is a plain token: it goes into every log
// line of the request and back in a header, so no spaces, quotes, line breaks or megabytes of it.
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
// An invitation link's token is a password until it is used: its path segment is replaced before logging.
const SECRET_SEGMENT_AFTER = new Set(["invite"]);

/** The logger at LOG_LEVEL; the destination is standard output unless a test passes its own stream. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, timestamp: pino.stdTimeFunctions.isoTime, serializers: { err: stdSerializers.err } };
  if (destination) return pino(options, destination);
  // A silent logger writes nothing: it needs no asynchronous stdout writer (the tests build hundreds of apps).
  return pino(options, config.logLevel === "silent" ? process.stdout : pino.destination({ dest: 1, sync: false }));
}

/** The app's logger interface over pino: the strings make the message, an Error goes under `err` with its stack. */
export function appLogger(log: Logger): AppLogger {
  const write = (level: "info" | "error", args: unknown[]) => {
    // Known by its shape as well: an Error made in another realm (a native module's, or jest's sandbox) is one too.
    const err = args.find((a) => a instanceof Error || types.isNativeError(a) || (typeof a === "object" && a !== null && typeof (a as Error).stack === "string" && typeof (a as Error).message === "string"));
    const message = args
      .filter((a) => a !== err)
      .map((a) => (typeof a === "string" ? a : String(a)))
      .join(" ");
    if (err) log[level]({ err }, message || (err as Error).message);
    else log[level](message);
  };
  return { info: (...args) => write("info", args), error: (...args) => write("error", args) };
}

/** The path as logged: without the query string (only its parameter names are kept) and without secret tokens. */
export function loggedPath(url: string): { path: string; query?: string[] } {
  const [rawPath = "", queryString] = url.split("?", 2);
  const segments = rawPath.split("/");
  const path = segments.map((segment, i) => (i > 0 && SECRET_SEGMENT_AFTER.has(segments[i - 1] ?? "") ? ":token" : segment)).join("/");
  if (!queryString) return { path };
  return { path, query: [...new Set(new URLSearchParams(queryString).keys())] };
}

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * One log line per finished request: at error for a 5xx, at warn when it took LOG_SLOW_MS or longer (0 makes
 * every request slow), at info otherwise. Static files are not logged (they still get a request id).
 */
export function requestLogging(log: Logger, options: { slowMs: number }) {
  const elapsed = (res: ServerResponse) => Date.now() - res[startTime];
  return pinoHttp({
    logger: log,
    genReqId: requestId,
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ id: req.id, method: req.method, ...loggedPath(req.originalUrl ?? req.url) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: stdSerializers.err,
    },
    // Only the id: never the user's name or e-mail address.
    customProps: (_req, res) => ({ userId: (res as Response).locals?.user?.id as number | undefined }),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : elapsed(res) >= options.slowMs ? "warn" : "info"),
    customSuccessMessage: (_req, res, responseTime) => (responseTime >= options.slowMs ? "traag verzoek" : "verzoek afgehandeld"),
    customErrorMessage: () => "verzoek mislukt",
    autoLogging: { ignore: (req) => (req.url ?? "").startsWith("/static/") },
  });
}
