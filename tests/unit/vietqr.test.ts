import { describe, expect, it } from "vitest";
import { crc16, parseEmv, qrSvgPath, vietQrPayload } from "../../src/lib/vietqr.js";
import { signPayload, verifySignature } from "../../src/lib/hmac.js";
import { csvCell } from "../../src/lib/csv.js";

describe("VietQR payload", () => {
  it("computes CRC-16/CCITT-FALSE with the standard check value", () => {
    expect(crc16("123456789")).toBe("29B1");
  });

  it("reproduces a known VietQR transfer string byte for byte, checksum included", () => {
    // A Vietcombank transfer of 1,943,000 VND to account 1023456789 with memo TT000069.
    const payload = vietQrPayload({ bankBin: "970436", accountNumber: "1023456789", amount: 1943000, currency: "VND", memo: "TT000069" });
    expect(payload).toBe("00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA5303704540719430005802VN62120808TT0000696304A8E5");
  });

  it("matches the published NAPAS generator example checksum", () => {
    const body = "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304";
    expect(crc16(body)).toBe("C15C");
  });

  it("carries bank, account, amount, currency, country and reference in their EMVCo fields", () => {
    const payload = vietQrPayload({ bankBin: "970436", accountNumber: "0011001234567", amount: 231000, currency: "VND", memo: "NFABC23456" });
    const fields = parseEmv(payload);
    expect(fields.get("00")).toBe("01");
    expect(fields.get("01")).toBe("12");
    const merchant = parseEmv(fields.get("38")!);
    expect(merchant.get("00")).toBe("A000000727");
    expect(merchant.get("02")).toBe("QRIBFTTA");
    const beneficiary = parseEmv(merchant.get("01")!);
    expect(beneficiary.get("00")).toBe("970436");
    expect(beneficiary.get("01")).toBe("0011001234567");
    expect(fields.get("53")).toBe("704");
    expect(fields.get("54")).toBe("231000");
    expect(fields.get("58")).toBe("VN");
    expect(parseEmv(fields.get("62")!).get("08")).toBe("NFABC23456");
    expect(fields.get("63")).toBe(crc16(payload.slice(0, -4)));
  });

  it("draws the QR as one SVG path with a quiet zone", () => {
    const svg = qrSvgPath("hello");
    expect(svg.size).toBeGreaterThanOrEqual(21 + 8);
    expect(svg.path).toMatch(/^M\d+ \d+h\d+v1h-\d+z/);
    expect(svg.path).not.toMatch(/[<>"]/);
  });
});

describe("webhook signatures", () => {
  const secret = "whsec_test_secret_0123456789";
  const body = Buffer.from('{"a":1}');
  const now = new Date("2030-01-01T00:00:00Z");
  const ts = String(Math.floor(now.getTime() / 1000));

  it("accepts a fresh signature over the exact body", () => {
    expect(verifySignature({ secret, rawBody: body, signature: signPayload(secret, ts, body), timestamp: ts, now, toleranceMs: 300_000 })).toEqual({
      ok: true,
    });
  });

  it("refuses a changed body, a wrong secret, an old timestamp and missing headers", () => {
    const sig = signPayload(secret, ts, body);
    expect(verifySignature({ secret, rawBody: Buffer.from('{"a":2}'), signature: sig, timestamp: ts, now, toleranceMs: 300_000 })).toMatchObject({
      ok: false,
      reason: "mismatch",
    });
    expect(verifySignature({ secret: "other_secret_0123456789", rawBody: body, signature: sig, timestamp: ts, now, toleranceMs: 300_000 })).toMatchObject({
      ok: false,
      reason: "mismatch",
    });
    const old = String(Number(ts) - 301);
    expect(verifySignature({ secret, rawBody: body, signature: signPayload(secret, old, body), timestamp: old, now, toleranceMs: 300_000 })).toMatchObject({
      ok: false,
      reason: "stale",
    });
    expect(verifySignature({ secret, rawBody: body, signature: undefined, timestamp: ts, now, toleranceMs: 300_000 })).toMatchObject({
      ok: false,
      reason: "missing",
    });
  });
});

describe("CSV cells", () => {
  it("neutralizes formulas and quotes separators", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe("");
  });
});
