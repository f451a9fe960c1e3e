import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { keyedHash, openSecret, sealSecret } from "../../src/lib/secret-box.js";

const KEY = "k".repeat(40);
const base = { MONGODB_URI: "mongodb://127.0.0.1:27017/x", REDIS_URL: "redis://127.0.0.1:6379", SESSION_SECRET: "s".repeat(32) };

describe("secret box (TOTP keys at rest)", () => {
  it("opens what it sealed, and each seal differs (random IV)", () => {
    const a = sealSecret(KEY, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    const b = sealSecret(KEY, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DP");
    expect(openSecret(KEY, a)).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  });

  it("refuses another key, a tampered box and garbage", () => {
    const sealed = sealSecret(KEY, "secret");
    const [v, iv, tag, data] = sealed.split(".");
    const flipped = `${v}.${iv}.${tag}.${data!.startsWith("A") ? "B" : "A"}${data!.slice(1)}`;
    expect(openSecret("x".repeat(40), sealed)).toBeNull();
    expect(openSecret(KEY, flipped)).toBeNull();
    expect(openSecret(KEY, "v1.nope")).toBeNull();
    expect(openSecret(KEY, "")).toBeNull();
  });

  it("keyed hashes depend on the key", () => {
    expect(keyedHash(KEY, "abcde-fghij")).toBe(keyedHash(KEY, "abcde-fghij"));
    expect(keyedHash(KEY, "abcde-fghij")).not.toBe(keyedHash("y".repeat(40), "abcde-fghij"));
  });

  it("TWO_FACTOR_KEY: at least 32 characters; empty or unset derives one from SESSION_SECRET", () => {
    expect(() => loadConfig({ ...base, TWO_FACTOR_KEY: "short" })).toThrow(/TWO_FACTOR_KEY/);
    expect(loadConfig({ ...base, TWO_FACTOR_KEY: KEY }).twoFactor.key).toBe(KEY);
    expect(loadConfig({ ...base, TWO_FACTOR_KEY: "" }).twoFactor.key).toBe(loadConfig(base).twoFactor.key);
    expect(loadConfig(base).twoFactor.key).not.toBe(base.SESSION_SECRET);
  });
});
