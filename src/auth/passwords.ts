// argon2id (OWASP's first choice for password storage), through a prebuilt binding: no build step.
import { Algorithm, hash, verify } from "@node-rs/argon2";
import { randomBytes, randomInt } from "node:crypto";

/**
 * OWASP's minimum for argon2id. The test suite (jest sets NODE_ENV=test) hashes hundreds of passwords it throws
 * away: it uses the smallest cost argon2 allows. A hash carries its own cost, so verifying is unaffected.
 */
const OPTIONS =
  process.env.NODE_ENV === "test"
    ? { algorithm: Algorithm.Argon2id, memoryCost: 8, timeCost: 1, parallelism: 1 }
    : { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * Each hash takes 19 MiB (memoryCost) while it runs: at most two run at once, and the rest wait their turn, so
 * a burst of log-ins (or of guesses) cannot drive the register's memory up by the libuv thread pool's worth.
 */
export const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finished hash hands its slot straight to the next in line, so `running` never exceeds the limit.
  if (running < MAX_CONCURRENT_HASHES) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await withHashSlot(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verified against when the e-mail is unknown, so both cost the same. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

/** A strong password that people can still type: four groups of five from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const chars = Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join("")).join("-");
}
