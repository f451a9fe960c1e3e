// Typed errors: each carries an HTTP status and a translation key that is safe to show users.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly details?: Record<string, string>,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey = "errors.badRequest", details?: Record<string, string>) {
    super(400, messageKey, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(messageKey = "errors.unauthorized") {
    super(401, messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = "errors.forbidden") {
    super(403, messageKey);
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey = "errors.notFound") {
    super(404, messageKey);
  }
}

export class ConflictError extends AppError {
  constructor(messageKey = "errors.conflict") {
    super(409, messageKey);
  }
}

/** Field-level problems with a submitted form; `fields` maps field name -> message key. */
export class ValidationError extends AppError {
  constructor(
    readonly fields: Record<string, string>,
    messageKey = "errors.validation",
  ) {
    super(422, messageKey, fields);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(messageKey = "errors.tooManyRequests") {
    super(429, messageKey);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(messageKey = "errors.unavailable") {
    super(503, messageKey);
  }
}
