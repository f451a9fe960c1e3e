# syntax=docker/dockerfile:1
# Multi-stage image for the web server, the worker and the netflix-admin CLI.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY tools/precompress-assets.ts ./tools/
# The build also writes .br/.gz twins of the static files (public/ and the vendor scripts).
COPY public ./public
RUN npm run build && npm prune --omit=dev

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# ffprobe checks uploads (web) and ffmpeg transcodes them (worker); the font draws demo title cards.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/* && mkdir -p /app/media && chown node:node /app/media
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Views, translations and bundled data are read from src/ at run time.
COPY src ./src
COPY --from=build /app/public ./public
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/netflix-admin && chmod +x dist/src/cli/main.js
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# The web and worker processes' Node flags (src/lib/node-flags.ts), on the command line (Node
# takes --heap-growing-percent only there); compose's worker command repeats them.
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/src/server.js"]

# One-shot set-up: generates the demo HLS streams into the media volume and seeds the catalog.
FROM runtime AS setup
USER root
COPY scripts/make-media ./scripts/make-media
USER node
CMD ["sh", "-c", "scripts/make-media /app/media && node dist/src/cli/main.js catalog seed"]
