// Symmetric encryption for small secrets kept in the database (TOTP keys): AES-256-GCM with a key
// derived from configuration, so a copy of the database alone opens no authenticator.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

const keyFrom = (material: string, purpose: string) => createHash("sha256").update(`${purpose}\0${material}`).digest();

/** "v1.<iv>.<tag>.<ciphertext>", all base64url. */
export function sealSecret(material: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(material, "seal"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plain secret, or null when the box was sealed with another key or was tampered with. */
export function openSecret(material: string, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(material, "seal"), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** A keyed hash (HMAC-SHA256) for secrets looked up by value, such as recovery codes. */
export function keyedHash(material: string, value: string): string {
  return createHmac("sha256", keyFrom(material, "hash")).update(value).digest("hex");
}
