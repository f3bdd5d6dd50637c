# syntax=docker/dockerfile:1
#
# Simple Order: one self-contained binary (`bun build --compile`) on a slim Debian runtime.
#
#   docker build -t simple-order .
#   docker run -p 3000:3000 -v simple-order-data:/data -e OPERATOR_TOKEN=... simple-order
#   docker run --rm -v simple-order-data:/data simple-order store:create --name N --lat X --lng Y --pin P --json
#
# Redis: with REDIS_URL unset the binary starts an embedded redis-server (installed below) on a
# unix socket under $DATA_DIR/redis, with AOF persistence in the /data volume, and stops it on
# SIGTERM. With REDIS_URL set (redis://, rediss:// or unix://) the embedded redis is NOT started
# and redis-server in this image is simply unused.

# The builder's Bun decides the runtime embedded in the binary: keep it on the project's Bun.
# (`docker build --build-arg BUN_VERSION=1` follows the latest 1.x instead.)
ARG BUN_VERSION=1.4.5

############################ 1. build ############################
FROM oven/bun:${BUN_VERSION} AS build
WORKDIR /app

# Dependencies first so this layer is cached until package.json / bun.lock change.
# Dev dependencies (tsc, biome, drizzle-kit, playwright) are not needed to compile.
COPY package.json bun.lock ./
RUN --mount=type=cache,target=/root/.bun/install/cache \
    bun install --frozen-lockfile --production

# Everything the bundle reads: sources, the BullMQ workers (src/bootstrap.ts imports them),
# migrations (embedded as text), Lua scripts under src/.
# (test/deploy/dockerfile.test.ts replays this stage and the runtime layout without Docker.)
COPY tsconfig.json bunfig.toml ./
COPY db ./db
COPY workers ./workers
COPY src ./src

# → dist/simple-order. The source map is embedded in the binary (stack traces point at src/),
# so dist/simple-order.map is not needed at runtime. The binary targets this builder's CPU
# family; for very old x64 CPUs (no AVX2) build with `--target=bun-linux-x64-baseline`.
RUN bun run build

############################ 2. runtime ############################
FROM debian:bookworm-slim AS runtime

# redis-server for the embedded Redis; ca-certificates for HTTPS to KakaoPay / Kakao APIs.
# The binary itself only links glibc. bash (Essential in Debian) serves the HEALTHCHECK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Non-root user; /data (SQLite database + embedded Redis) belongs to it.
RUN groupadd --gid 10001 simpleorder \
 && useradd --uid 10001 --gid simpleorder --no-log-init \
      --home-dir /data --no-create-home --shell /usr/sbin/nologin simpleorder \
 && mkdir -p /data \
 && chown simpleorder:simpleorder /data \
 && chmod 0700 /data

COPY --from=build --chmod=0755 /app/dist/simple-order /usr/local/bin/simple-order

# bull-board's UI (page template and assets) is read from disk at run time, not from the binary:
# `bun run build` copies it to dist/bull-board-ui, and the server finds it beside the binary.
COPY --from=build /app/dist/bull-board-ui /usr/local/bin/bull-board-ui

ENV DATA_DIR=/data \
    PORT=3000 \
    NODE_ENV=production

VOLUME ["/data"]
EXPOSE 3000

# No curl/wget in the slim image: bash's /dev/tcp sends a plain HTTP/1.0 GET /healthz and the
# status line must be 200 (Redis and SQLite reachable). $PORT is read when the check runs, so
# `-e PORT=...` is honoured. A ROLE=worker container serves no HTTP: run it with
# --no-healthcheck (or override HEALTHCHECK).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]

USER simpleorder
WORKDIR /data

# The binary runs as PID 1 and handles SIGTERM/SIGINT itself: it stops the HTTP server, ends the
# open feeds (counter screens reconnect to the next server), lets requests and jobs in flight
# finish (about a second each at most), closes Redis/BullMQ/SQLite and the embedded redis-server,
# logs what it stopped and exits 0 within 3 s (docker stop waits 10 s). A second signal exits at
# once. `docker run --init` additionally reaps any stray child at shutdown.
# The migrations are written to a temp dir under /tmp at start: with --read-only, add --tmpfs /tmp.
STOPSIGNAL SIGTERM
ENTRYPOINT ["simple-order"]
# `serve` (the default) runs the server; any CLI command instead runs the operator CLI, e.g.
#   docker run --rm -v simple-order-data:/data simple-order demo:seed --json
CMD ["serve"]
