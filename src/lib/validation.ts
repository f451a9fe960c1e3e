// The one input policy, through zod. Path parameters (ids, slugs) that do not parse are 404: no
// such thing exists. Queries that do not parse are 400. Bodies: shape errors (unknown keys,
// operator objects, wrong types) are 400, field rules (too short, bad email) are 422 with
// per-field translated messages. A repeated query parameter is 400 before any route runs.
import type { RequestHandler } from "express";
import { z } from "zod";
import { BadRequestError, NotFoundError, ValidationError } from "./errors.js";

/** A MongoDB ObjectId in its 24-hex-digit form. */
const OBJECT_ID = /^[0-9a-f]{24}$/i;
export const isObjectId = (value: string): boolean => OBJECT_ID.test(value);

/** Shared schemas for what paths carry. */
export const ids = {
  objectId: z.string().regex(OBJECT_ID, "must be a 24-character id"),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  /** A job or genre name: lower-case words joined by dashes. */
  name: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
};

/** `{ id }` from a path such as /profiles/:id. */
export const idParam = z.strictObject({ id: ids.objectId });
/** `{ slug }` from a path such as /title/:slug. */
export const slugParam = z.strictObject({ slug: ids.slug });

/** Path parameters; anything that does not parse names nothing, so it is a 404 (`messageKey` says what was not found). */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, messageKey = "errors.notFound"): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new NotFoundError(messageKey);
  return result.data;
}

/**
 * A query string; anything that does not parse is a 400 (queries come from links, not forms),
 * saying what a rule's own `errors.*` message says (a search too long), else "bad request".
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const said = result.error.issues.find((i) => i.message.startsWith("errors."))?.message;
  throw new BadRequestError(said ?? "errors.badRequest");
}

/** The `?next=` of pages that send the visitor on afterwards; other keys (tracking tags) are ignored. */
export const nextQuery = z.object({ next: z.string().max(500).optional() }).loose();

/** Express's query parser turns `?a=1&a=2` into an array, which no route accepts: 400 up front. */
export const rejectRepeatedQuery: RequestHandler = (req, _res, next) => {
  for (const value of Object.values(req.query)) if (typeof value !== "string") return next(new BadRequestError("errors.badRequest"));
  next();
};

/** Form bodies carry the CSRF field; every form schema accepts it and nothing else extra. */
export const csrfField = { _csrf: z.string().max(512).optional() };

const SHAPE_CODES: ReadonlySet<string> = new Set(["unrecognized_keys", "invalid_type", "invalid_union"]);

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
