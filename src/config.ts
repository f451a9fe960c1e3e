// Configuration: environment -> zod -> frozen typed object. The only module that reads process.env.
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const seconds = z.coerce.number().int().positive();

const planSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,20}$/),
  price: z.number().int().positive(),
  quality: z.string().min(1).max(20),
  screens: z.number().int().min(1).max(10),
});
export type Plan = z.infer<typeof planSchema>;

const DEFAULT_PLANS: Plan[] = [
  { id: "mobile", price: 74000, quality: "480p", screens: 1 },
  { id: "basic", price: 114000, quality: "720p", screens: 1 },
  { id: "standard", price: 231000, quality: "1080p", screens: 2 },
  { id: "premium", price: 273000, quality: "4K+HDR", screens: 4 },
];

// Tracing (src/tracing/register.ts): off unless an OTLP/HTTP endpoint is given. The names are
// OpenTelemetry's own, so any collector's instructions apply as written.
const tracingShape = {
  // Base URL of an OTLP/HTTP receiver (a collector, Jaeger, a vendor); spans go to <it>/v1/traces.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.union([z.literal(""), z.url().regex(/^https?:\/\//, "must be an http:// or https:// URL")]).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
  // "key=value,key2=value2" sent with every export (a vendor's API key).
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^\s*[^=,\s]+=[^,]*(,\s*[^=,\s]+=[^,]*)*\s*$/, 'must be "key=value,key2=value2"')
    .optional(),
  // Fraction of new traces recorded (a trace started elsewhere follows its parent's decision).
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  // How long finished spans wait in the batch before they are sent.
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(60_000).default(5000),
  // Overrides the per-process name (nextflix-web, nextflix-worker, nextflix-cli).
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
};
const tracingSchema = z.object(tracingShape);

const envSchema = z.object({
  ...tracingShape,
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
  ADMIN_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 7),
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(5),
  LOGIN_EMAIL_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(100),
  GENERAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(19456).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(2).default(2),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  // Against slow clients: a connection gets this long to send its headers, and its whole request.
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  SHUTDOWN_GRACE_SECONDS: seconds.default(10),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("VND"),
  PLANS_JSON: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return DEFAULT_PLANS;
      try {
        return z.array(planSchema).min(1).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON array of {id, price, quality, screens}" });
        return z.NEVER;
      }
    }),
  TMDB_API_KEY: z.string().optional(),
  TMDB_READ_TOKEN: z.string().optional(),
  TMDB_BASE_URL: z.url().default("https://api.themoviedb.org/3"),
  TMDB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  TMDB_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  TMDB_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  TMDB_BREAKER_COOLDOWN_SECONDS: seconds.default(30),
  TMDB_CACHE_TTL_SECONDS: seconds.default(6 * 3600),
  TMDB_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .default("en-US"),
  CATALOG_ROWS_TTL_SECONDS: seconds.default(60),
  CATALOG_TITLE_TTL_SECONDS: seconds.default(300),
  PROGRESS_FLUSH_DELAY_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  // A flush's in-flight rows older than this are taken over by another flush (their flush died).
  // Longer than a flush takes: a background flush spreads its writes over half the flush delay.
  PROGRESS_INFLIGHT_STALE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  SEED_DEMO_CATALOG: bool.default(false),
  MEDIA_DIR: z.string().min(1).optional(),
  // Uploaded films: what ffprobe accepts, and how the transcode queue runs (BullMQ on REDIS_URL).
  MEDIA_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(1_000_000).default(8192),
  MEDIA_MAX_DURATION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(360),
  MEDIA_TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  MEDIA_X264_PRESET: z.enum(["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"]).default("veryfast"),
  MEDIA_SEGMENT_SECONDS: z.coerce.number().int().min(1).max(12).default(4),
  MEDIA_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  // A worker that has not renewed its job's lock this long is taken for dead: another worker takes the job.
  MEDIA_JOB_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // Replaced versions stay this long (players mid-stream keep working), then a job deletes them.
  MEDIA_PURGE_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86400)
    .default(3600),
  MEDIA_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default("bull"),
  COOKIE_SECURE: bool.optional(),
  BILLING_PERIOD_DAYS: z.coerce.number().int().min(1).max(366).default(30),
  PAYMENT_PENDING_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  REMIND_BEFORE_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  BANK_BIN: z
    .string()
    .regex(/^\d{6}$/, "must be the bank's 6-digit NAPAS BIN")
    .default("970436"),
  BANK_NAME: z.string().min(1).max(60).default("Vietcombank"),
  BANK_ACCOUNT_NUMBER: z
    .string()
    .regex(/^[0-9A-Za-z]{4,19}$/)
    .default("0011001234567"),
  BANK_ACCOUNT_NAME: z.string().min(1).max(60).default("NEXTFLIX MEDIA JSC"),
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: seconds.default(300),
  // Outgoing mail: without SMTP_URL mail is written to the log only (development).
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^([^<>@\r\n]{1,60} <[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be "Name <address@domain>" or an address')
    .default("Nextflix <no-reply@nextflix.localhost>"),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  OUTBOX_RETRY_BASE_SECONDS: seconds.default(10),
  OUTBOX_LEASE_SECONDS: seconds.default(60),
  // The bearer token Prometheus sends to /metrics; without one /metrics is not served at all.
  METRICS_TOKEN: z.union([z.literal(""), z.string().min(16, "must be at least 16 characters")]).optional(),
  PIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  PASSWORD_CHECK_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  ATTEMPT_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  REGISTER_MAX_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR: z.coerce.number().int().positive().default(3),
  PASSWORD_RESET_MAX_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  VERIFY_RESEND_MAX_PER_HOUR: z.coerce.number().int().positive().default(3),
  // Encrypts TOTP secrets at rest and peppers recovery-code hashes; without it a key is derived
  // from SESSION_SECRET (rotating that secret then turns every enrolled authenticator off).
  TWO_FACTOR_KEY: z.union([z.literal(""), z.string().min(32, "must be at least 32 characters")]).optional(),
  PURGE_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // A job run's lock lives this long and is renewed every third of it while the run is alive.
  JOB_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  JOBRUNS_KEEP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
});

export type Config = ReturnType<typeof loadConfig>;

/** Every variable the configuration reads (scripts/up hands the running set to scripts/admin). */
export const CONFIG_KEYS: readonly string[] = Object.freeze(Object.keys(envSchema.shape));

/** Thrown when the environment does not validate; the message lists every problem. */
export class ConfigError extends Error {}

function tracingOf(e: z.infer<typeof tracingSchema>) {
  const endpoint = e.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  const headers = Object.fromEntries(
    (e.OTEL_EXPORTER_OTLP_HEADERS ?? "")
      .split(",")
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), decodeURIComponent(pair.slice(pair.indexOf("=") + 1).trim())]),
  );
  return Object.freeze({
    enabled: endpoint !== undefined,
    tracesUrl: endpoint ? `${endpoint.replace(/\/+$/, "")}/v1/traces` : undefined,
    protocol: e.OTEL_EXPORTER_OTLP_PROTOCOL,
    headers: Object.freeze(headers),
    sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
    batchDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
    serviceName: e.OTEL_SERVICE_NAME,
  });
}

export type TracingConfig = ReturnType<typeof tracingOf>;

/**
 * The tracing settings alone, for src/tracing/register.ts: it runs before the app (and before
 * the CLI knows whether it needs a database), so it validates only its own variables.
 */
export function loadTracingConfig(env: Record<string, string | undefined> = process.env): TracingConfig {
  const parsed = tracingSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return tracingOf(parsed.data);
}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  return Object.freeze({
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    mongoUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    // Node requires headersTimeout <= requestTimeout.
    http: Object.freeze({ headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS, e.HTTP_REQUEST_TIMEOUT_MS), requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS }),
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    session: Object.freeze({
      secret: e.SESSION_SECRET,
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      adminIdleMs: e.ADMIN_IDLE_MINUTES * 60_000,
      absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      // Secure + __Host- prefix in production; plain name over http in development and tests.
      secureCookie: e.COOKIE_SECURE ?? production,
    }),
    loginLimits: Object.freeze({
      maxPerEmail: e.LOGIN_MAX_FAILURES_PER_EMAIL,
      emailWindowMs: e.LOGIN_EMAIL_WINDOW_MINUTES * 60_000,
      maxPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      ipWindowMs: 24 * 3_600_000,
      generalPerMinute: e.GENERAL_RATE_LIMIT_PER_MINUTE,
    }),
    metricsToken: e.METRICS_TOKEN || undefined,
    // Race-free attempt counters (lib/attempts.ts) for secrets a signed-in session could guess.
    attempts: Object.freeze({
      pinMax: e.PIN_MAX_FAILURES,
      passwordMax: e.PASSWORD_CHECK_MAX_FAILURES,
      windowSeconds: e.ATTEMPT_WINDOW_MINUTES * 60,
      registerPerIpPerHour: e.REGISTER_MAX_PER_IP_PER_HOUR,
      resetPerEmailPerHour: e.PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR,
      resetPerIpPerHour: e.PASSWORD_RESET_MAX_PER_IP_PER_HOUR,
      verifyResendPerHour: e.VERIFY_RESEND_MAX_PER_HOUR,
    }),
    twoFactor: Object.freeze({ key: e.TWO_FACTOR_KEY || `2fa:${e.SESSION_SECRET}`, issuer: "Nextflix" }),
    argon2: Object.freeze({ memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: 1 }),
    currency: e.CURRENCY,
    plans: Object.freeze(e.PLANS_JSON.map((p) => Object.freeze({ ...p }))),
    billing: Object.freeze({
      periodDays: e.BILLING_PERIOD_DAYS,
      pendingDays: e.PAYMENT_PENDING_DAYS,
      remindBeforeDays: e.REMIND_BEFORE_DAYS,
      bank: Object.freeze({ bin: e.BANK_BIN, name: e.BANK_NAME, accountNumber: e.BANK_ACCOUNT_NUMBER, accountName: e.BANK_ACCOUNT_NAME }),
      webhookSecret: e.PAYMENT_WEBHOOK_SECRET,
      webhookToleranceMs: e.PAYMENT_WEBHOOK_TOLERANCE_SECONDS * 1000,
    }),
    outbox: Object.freeze({
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: e.OUTBOX_RETRY_BASE_SECONDS * 1000,
      leaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
    }),
    mail: Object.freeze({
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      // Links in mail must be absolute; without PUBLIC_URL they point at this server on localhost.
      baseUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    }),
    jobs: Object.freeze({ leaseMs: e.JOB_LEASE_MS }),
    tracing: tracingOf(e),
    retention: Object.freeze({ purgeAfterDays: e.PURGE_AFTER_DAYS, jobRunsDays: e.JOBRUNS_KEEP_DAYS }),
    tmdb: Object.freeze({
      apiKey: e.TMDB_API_KEY,
      readToken: e.TMDB_READ_TOKEN,
      baseUrl: e.TMDB_BASE_URL,
      timeoutMs: e.TMDB_TIMEOUT_MS,
      maxRetries: e.TMDB_MAX_RETRIES,
      breakerThreshold: e.TMDB_BREAKER_THRESHOLD,
      breakerCooldownMs: e.TMDB_BREAKER_COOLDOWN_SECONDS * 1000,
      cacheTtlSeconds: e.TMDB_CACHE_TTL_SECONDS,
      language: e.TMDB_LANGUAGE,
    }),
    // Buffered progress saves reach MongoDB this long after the first one (see progress-buffer).
    progress: Object.freeze({ flushDelayMs: e.PROGRESS_FLUSH_DELAY_MS, inflightStaleMs: e.PROGRESS_INFLIGHT_STALE_MS }),
    catalog: Object.freeze({
      rowsTtlSeconds: e.CATALOG_ROWS_TTL_SECONDS,
      titleTtlSeconds: e.CATALOG_TITLE_TTL_SECONDS,
      seedDemo: e.SEED_DEMO_CATALOG,
      // Where the demo HLS streams live (scripts/make-media writes them); default <project>/media.
      mediaDir: e.MEDIA_DIR,
    }),
    media: Object.freeze({
      maxUploadBytes: e.MEDIA_MAX_UPLOAD_MB * 1024 * 1024,
      maxDurationSec: e.MEDIA_MAX_DURATION_MINUTES * 60,
      concurrency: e.MEDIA_TRANSCODE_CONCURRENCY,
      x264Preset: e.MEDIA_X264_PRESET,
      segmentSec: e.MEDIA_SEGMENT_SECONDS,
      attempts: e.MEDIA_JOB_ATTEMPTS,
      lockMs: e.MEDIA_JOB_LOCK_SECONDS * 1000,
      purgeDelayMs: e.MEDIA_PURGE_DELAY_SECONDS * 1000,
      queuePrefix: e.MEDIA_QUEUE_PREFIX,
    }),
  });
}
