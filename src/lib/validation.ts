// Request input through zod: shape errors (unknown keys, operator objects, wrong types) are 400,
// field rules (too short, bad email) are 422 with per-field translated messages.
import { z } from "zod";
import { BadRequestError, ValidationError } from "./errors.js";

/** Form bodies carry the CSRF field; every form schema accepts it and nothing else extra. */
export const csrfField = { _csrf: z.string().max(512).optional() };

const SHAPE_CODES = new Set(["unrecognized_keys", "invalid_type", "invalid_union"]);

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // reportInput lets us tell a missing field (input undefined) from a value of the wrong type.
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  // A missing field is a field problem (422); any other type mismatch means a crafted request.
  const shape = issues.find((i) => SHAPE_CODES.has(i.code) && !(i.code === "invalid_type" && i.input === undefined));
  if (shape) throw new BadRequestError("errors.badRequest");
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "_form");
    fields[field] ??= issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  }
  throw new ValidationError(fields);
}

/** Reusable field rules; messages are translation keys. */
export const fields = {
  email: z
    .string({ error: "validation.required" })
    .trim()
    .toLowerCase()
    .min(1, { error: "validation.required" })
    .max(254, { error: "validation.emailTooLong" })
    .pipe(z.email({ error: "validation.email" })),
  displayName: z
    .string({ error: "validation.required" })
    .trim()
    .min(1, { error: "validation.required" })
    .max(50, { error: "validation.nameTooLong" })
    .refine((v) => !/[\p{Cc}]/u.test(v), { error: "validation.invalid" }),
  password: z.string({ error: "validation.required" }).min(1, { error: "validation.required" }).max(128, { error: "validation.passwordTooLong" }),
};
