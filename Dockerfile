# One image for every gongfu stage; the command picks the stage (see docker-compose.yml).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schemas ./schemas
COPY ingest ./ingest
COPY transform ./transform
COPY load ./load
COPY evaluate ./evaluate
COPY bus ./bus
COPY runtime ./runtime
COPY cli ./cli
COPY feeds ./feeds
COPY samples ./samples
RUN mkdir -p /data && chown node:node /data
USER node
ENV GONGFU_DATA_DIR=/data
ENTRYPOINT ["node", "cli/gongfu.ts"]
CMD ["--help"]
