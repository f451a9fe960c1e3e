import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const base = { MONGODB_URI: "mongodb://127.0.0.1:27017/x", REDIS_URL: "redis://127.0.0.1:6379", SESSION_SECRET: "s".repeat(32) };

describe("configuration", () => {
  it("applies documented defaults", () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.session.idleMs).toBe(2 * 3_600_000);
    expect(config.session.adminIdleMs).toBe(30 * 60_000);
    expect(config.session.absoluteMs).toBe(7 * 24 * 3_600_000);
    expect(config.loginLimits).toMatchObject({ maxPerEmail: 5, emailWindowMs: 15 * 60_000, maxPerIp: 100 });
    expect(config.plans.map((p) => p.id)).toEqual(["mobile", "basic", "standard", "premium"]);
    expect(config.session.secureCookie).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("lists every problem at once in a readable error", () => {
    expect(() => loadConfig({ SESSION_SECRET: "short", PORT: "abc", ARGON2_MEMORY_KIB: "1024" })).toThrow(ConfigError);
    try {
      loadConfig({ SESSION_SECRET: "short", PORT: "abc", ARGON2_MEMORY_KIB: "1024" });
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ["MONGODB_URI", "REDIS_URL", "SESSION_SECRET", "PORT", "ARGON2_MEMORY_KIB"]) expect(message).toContain(name);
    }
  });

  it("reads plans from PLANS_JSON and rejects malformed ones", () => {
    const config = loadConfig({ ...base, PLANS_JSON: '[{"id":"solo","price":50000,"quality":"720p","screens":1}]' });
    expect(config.plans).toEqual([{ id: "solo", price: 50000, quality: "720p", screens: 1 }]);
    expect(() => loadConfig({ ...base, PLANS_JSON: "[{]" })).toThrow(/PLANS_JSON/);
  });

  it("uses Secure cookies in production", () => {
    expect(loadConfig({ ...base, NODE_ENV: "production" }).session.secureCookie).toBe(true);
  });

  it("serves no metrics without a token, and refuses a token shorter than 16 characters", () => {
    expect(loadConfig(base).metricsToken).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_TOKEN: "m".repeat(16) }).metricsToken).toBe("m".repeat(16));
    expect(() => loadConfig({ ...base, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });

  it("has attempt limits of 5 wrong PINs or passwords per 15 minutes, 20 registrations per IP per hour, and reset/verification mail limits", () => {
    expect(loadConfig(base).attempts).toEqual({
      pinMax: 5,
      passwordMax: 5,
      windowSeconds: 15 * 60,
      registerPerIpPerHour: 20,
      resetPerEmailPerHour: 3,
      resetPerIpPerHour: 20,
      verifyResendPerHour: 3,
    });
  });

  it("logs mail without SMTP_URL, links from PUBLIC_URL, and refuses a malformed SMTP_URL or MAIL_FROM", () => {
    expect(loadConfig(base).mail).toEqual({ smtpUrl: undefined, from: "Nextflix <no-reply@nextflix.localhost>", baseUrl: "http://localhost:3000" });
    const set = loadConfig({ ...base, SMTP_URL: "smtps://u:p@mail.example.com:465", MAIL_FROM: "hello@example.com", PUBLIC_URL: "https://watch.example.com/" });
    expect(set.mail).toEqual({ smtpUrl: "smtps://u:p@mail.example.com:465", from: "hello@example.com", baseUrl: "https://watch.example.com" });
    expect(() => loadConfig({ ...base, SMTP_URL: "mail.example.com" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ ...base, MAIL_FROM: "Nextflix <not an address>" })).toThrow(/MAIL_FROM/);
  });
});
