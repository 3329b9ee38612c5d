# One image for every gongfu stage; the command picks the stage (see docker-compose.yml).
# Node 24 runs the TypeScript sources directly (type stripping): there is no build step, only dependencies.

# Stage 1: production dependencies (DuckDB's native binding comes from its npm package for this platform).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 2: the runtime, as the unprivileged `node` user (uid 1000) of the official image.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    GONGFU_DATA_DIR=/data \
    GONGFU_METRICS_PORT=9464
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY package.json ./
COPY schemas ./schemas
COPY ingest ./ingest
COPY transform ./transform
COPY load ./load
COPY evaluate ./evaluate
COPY report ./report
COPY bus ./bus
COPY runtime ./runtime
COPY cli ./cli
COPY feeds ./feeds
COPY samples ./samples
COPY gongfu.config.example.yaml ./
RUN mkdir -p /data/inbox /data/state /data/warehouse && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9464
# Liveness of daemons (transform, load, ingest --watch); one-shot commands exit before it matters.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GONGFU_METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "cli/gongfu.ts"]
CMD ["--help"]
