import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../src/services/accounts/passwords.js";

describe("password strength rule", () => {
  it.each([
    ["short1", "validation.passwordTooShort"],
    ["a1".repeat(65), "validation.passwordTooLong"],
    ["onlyletterslong", "validation.passwordWeak"],
    ["1234567890123", "validation.passwordWeak"],
  ])("refuses %j", (password, key) => {
    expect(passwordProblem(password)).toBe(key);
  });

  it("refuses a password built from the email's name", () => {
    expect(passwordProblem("margaret-2024!", "margaret@example.com")).toBe("validation.passwordContainsEmail");
  });

  it("accepts a long passphrase with a number or a space", () => {
    expect(passwordProblem("correct horse battery")).toBeNull();
    expect(passwordProblem("mật khẩu dài 2024")).toBeNull();
  });
});
