// createApp(deps): the Express app with its middleware chain and routers. No listen, no connect.
import cookieParser from "cookie-parser";
import express, { Router } from "express";
import compression from "compression";
import { compressPages } from "./lib/compressed-pages.js";
import helmet from "helmet";
import type { Deps } from "./deps.js";
import { loadCurrentUser } from "./routes/middleware/auth.js";
import { csrfProtection } from "./lib/csrf.js";
import { errorHandler, notFoundHandler } from "./lib/error-handler.js";
import { localeMiddleware } from "./lib/locale.js";
import { httpMetrics } from "./lib/metrics.js";
import { generalLimiter } from "./lib/rate-limit.js";
import { concurrently, requestDeadline, requestLogger, urlLengthCap, viewLocals } from "./lib/request-context.js";
import { createSessionMiddleware, sessionLimits } from "./routes/middleware/session.js";
import { staticRouter } from "./lib/static-assets.js";
import { rejectRepeatedQuery } from "./lib/validation.js";
import { createEta } from "./lib/views.js";
import { authRouter } from "./routes/auth.js";
import { passwordResetRouter } from "./routes/password-reset.js";
import { emailVerificationRouter } from "./routes/email-verification.js";
import { twoFactorRouter } from "./routes/two-factor.js";
import { healthRouter, type Lifecycle } from "./routes/health.js";
import { homeRouter } from "./routes/home.js";
import { profileContext } from "./routes/middleware/profile-context.js";
import { profilesRouter } from "./routes/profiles.js";
import { accountRouter } from "./routes/account.js";
import { historyRouter } from "./routes/history.js";
import { myListRouter } from "./routes/my-list.js";
import { remindersRouter } from "./routes/reminders.js";
import { progressRouter } from "./routes/progress.js";
import { watchRouter } from "./routes/watch.js";
import { screensRouter } from "./routes/screens.js";
import { browseRouter } from "./routes/browse.js";
import { genresRouter } from "./routes/genres.js";
import { sectionsRouter } from "./routes/sections.js";
import { mediaRouter } from "./routes/media.js";
import { searchRouter } from "./routes/search.js";
import { titleArtRouter, titlesRouter } from "./routes/titles.js";
import { accountBillingRouter } from "./routes/account-billing.js";
import { adminRouter } from "./routes/admin/index.js";
import { notificationsRouter, unreadCountLocals } from "./routes/notifications.js";
import { plansRouter } from "./routes/plans.js";
import { webhooksRouter } from "./routes/webhooks.js";

// Longer addresses are refused before any work (see urlLengthCap); the longest real one, a
// search with filters, is a few hundred characters.
const MAX_URL_LENGTH = 2048;

export function contentSecurityPolicy(production: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:", "https://image.tmdb.org"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      mediaSrc: ["'self'", "blob:"],
      workerSrc: ["'self'", "blob:"],
      frameSrc: ["https://www.youtube-nocookie.com"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(production ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

/**
 * Several modules' routers as one, in order. Express enters a router mounted at "/" on every
 * request (saving and restoring the URL, new closures) before it can look at the router's
 * routes; with a router per module that was the largest share of what a request allocated.
 * One router walks the same routes in the same order; path-scoped `router.use` guards inside
 * a module (`/account`, `/profiles`, `/my-list`, `/media`) stay scoped to their paths.
 * So a module's router must not use what is router-wide: `router.use` without a path,
 * `router.param`, router options or `next("router")` would reach (or skip) every module.
 */
export function joinRouters(...routers: Router[]): Router {
  const joined = Router();
  for (const router of routers) joined.stack.push(...router.stack);
  return joined;
}

export function createApp(deps: Deps, lifecycle: Lifecycle = { shuttingDown: false }) {
  const { config, logger, redis } = deps;
  const app = express();
  app.disable("x-powered-by");
  // Pages are per-user and carry a CSRF token: an ETag would never match, and hashing every
  // body costs CPU. Static files keep their own validators (serve-static).
  app.set("etag", false);
  // The number of proxy hops in front of us; never `true`, which would trust any X-Forwarded-For.
  app.set("trust proxy", config.trustProxyHops);
  app.locals.eta = createEta(config.production);

  app.use(requestLogger(logger));
  app.use(urlLengthCap(MAX_URL_LENGTH));
  app.use(httpMetrics(deps.metrics));
  // Pages, fragments, CSS and JS leave compressed (brotli or gzip, as the browser accepts);
  // static files precompressed at build time are sent as they are (lib/static-assets).
  // Brotli at quality 4 (the package default): near gzip -9 in size at a fraction of the CPU.
  // Whole HTML pages go through lib/compressed-pages first: the same bytes are compressed once.
  app.use(compressPages(deps.pages));
  app.use(compression());
  app.use(helmet({ contentSecurityPolicy: contentSecurityPolicy(config.production), crossOriginEmbedderPolicy: false }));
  app.use(rejectRepeatedQuery);
  // Webhooks are signed with HMAC over the raw body: before the body parsers, sessions and CSRF.
  app.use(joinRouters(staticRouter(), healthRouter(deps, lifecycle), webhooksRouter(deps), titleArtRouter(deps)));

  app.use(express.urlencoded({ extended: false, limit: "32kb", parameterLimit: 100 }));
  app.use(express.json({ limit: "64kb" }));
  app.use(cookieParser());
  app.use(requestDeadline(config.requestTimeoutMs));
  // The general limit counts per IP and needs no session: both Redis reads leave together.
  app.use(concurrently(createSessionMiddleware(config, redis), generalLimiter(config, redis, logger)));
  app.use(sessionLimits(config, redis));
  app.use(loadCurrentUser(deps));
  app.use(localeMiddleware(config.session.secureCookie));
  app.use(viewLocals);
  app.use(profileContext(deps));
  app.use(csrfProtection);
  app.use(unreadCountLocals(deps));

  app.use(
    joinRouters(
      homeRouter(deps),
      authRouter(deps),
      passwordResetRouter(deps),
      emailVerificationRouter(deps),
      twoFactorRouter(deps),
      profilesRouter(deps),
      myListRouter(deps),
      remindersRouter(deps),
      progressRouter(deps),
      screensRouter(deps),
      watchRouter(deps),
      historyRouter(deps),
      accountRouter(deps),
      browseRouter(deps),
      titlesRouter(deps),
      genresRouter(deps),
      sectionsRouter(deps),
      searchRouter(deps),
      mediaRouter(deps),
      plansRouter(deps),
      accountBillingRouter(deps),
      notificationsRouter(deps),
    ),
  );
  app.use("/admin", adminRouter(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
