# syntax=docker/dockerfile:1
# missed-call-recovery: the app (ARI, SMS gateway, admin API) in one image.
#   docker build -t missed-call-recovery .
#   docker run --env-file .env -p 3000:3000 -v mcr-data:/app/data missed-call-recovery
# Roles, database, ARI and SMPP are set with environment variables (see README).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them.
# --ignore-scripts: the "prepare" script compiles, and the sources are not here yet.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: the compiled app and production dependencies, as a non-root user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    ADMIN_HOST=0.0.0.0 \
    ADMIN_PORT=3000
WORKDIR /app
# The offline speech engine for SPEECH_ENGINE=pocketsphinx (about 40 MB);
# build with --build-arg WITH_SPEECH=0 to leave it out.
ARG WITH_SPEECH=1
RUN if [ "$WITH_SPEECH" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us sox \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# The pruned tree: dist/, bin/, production node_modules, and the files the app
# reads at run time (dialplan/prompts/en.json, dialplan/sounds/en/MANIFEST.json).
# Owned by root, so read-only to the app: only /app/data is writable.
COPY --from=build /app ./
RUN mkdir -p /app/data && chown node:node /app/data
# The base image's unprivileged user (uid 1000).
USER node
VOLUME /app/data
EXPOSE 3000
CMD ["node", "bin/mcr.js", "start"]
