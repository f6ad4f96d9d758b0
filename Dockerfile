# syntax=docker/dockerfile:1
# The production image: Next's standalone server, its static assets, the migrations and two bundled
# entries (serve.cjs, migrate.cjs; seed.cjs for local trials). No dev dependency, no tsx, no embedded PostgreSQL.
#   docker build -t coupon-platform .
#   docker run --rm -e DATABASE_URL=… coupon-platform node migrate.cjs    # release step
#   docker run -p 3000:3000 -e DATABASE_URL=… -e AUTH_SECRET=… -e CODE_HASH_SECRET=… coupon-platform
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# Install scripts are not needed to build (they unpack the embedded PostgreSQL, which the image never runs).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm run -s build:container-entries

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# Root owns the code; only Next's cache directory is writable by the server's user.
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/container/*.cjs ./
COPY --from=build /src/db/migrations ./db/migrations
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "serve.cjs"]
