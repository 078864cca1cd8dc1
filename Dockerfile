# The authorization code client service: `docker build -t authorization-code-clients .`
# Two stages on the same Debian base: `build` has the toolchain and every dependency; the runtime
# stage gets the compiled service and production dependencies only, and runs as `node`.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 downloads a prebuilt binary when one exists for this platform, else compiles.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The npm the project uses: it runs dependency install scripts only where package.json's
# `allowScripts` says so (the npm bundled with Node 20 ignores that list and runs them all).
ARG NPM_VERSION=11.19.1
RUN npm install -g "npm@${NPM_VERSION}"
WORKDIR /app
# Dependencies first, in their own layer, so changing the code does not reinstall them.
# `npm ci` would also run `prepare` (the build), which needs the sources: hence --ignore-scripts,
# then `npm rebuild` runs the allowed install scripts (better-sqlite3's native addon, esbuild).
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts && npm rebuild
COPY . .
# TypeScript to dist/, GraphiQL's browser assets to dist/public/; then drop the devDependencies.
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
# The code belongs to root and is read-only for the service; only /data is its to write.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4000
# Liveness with Node itself (the slim image has no curl). Readiness (projections live) is /ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({ host: '127.0.0.1', port: process.env.PORT, path: '/health', timeout: 2000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).on('timeout', () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, with no shell in between.
CMD ["node", "dist/src/main.js"]
