// Password hashing with argon2id (OWASP parameters or stronger) and the strength rule for new passwords.
import argon2 from "argon2";
import type { Config } from "../../config.js";

export type Argon2Params = Config["argon2"];

export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...params });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Length carries most of a password's strength (NIST 800-63B); we also ask for a letter and
 * a non-letter so the commonest single-word choices fail, and refuse the email itself.
 * Returns a message key, or null when the password is acceptable.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < 10) return "validation.passwordTooShort";
  if (password.length > 128) return "validation.passwordTooLong";
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) return "validation.passwordWeak";
  if (email && password.toLowerCase().includes(email.toLowerCase().split("@")[0]!) && email.split("@")[0]!.length >= 4)
    return "validation.passwordContainsEmail";
  return null;
}
