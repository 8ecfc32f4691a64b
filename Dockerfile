# syntax=docker/dockerfile:1
# Node.js 24, the active LTS line (Node 20 is past end of life; some dependencies need 22 or later).
# Build: compiles TypeScript and better-sqlite3's native addon.
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Run: the daemon, as an unprivileged user, state in /data. The image ships no SLOs: mount burnrate.yaml at
# /app/burnrate.yaml and the SLO files (and runbooks) it names, e.g. /app/slos and /app/runbooks.
FROM node:24-bookworm-slim
# Report charts are drawn to PNG with these fonts.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY templates ./templates
RUN mkdir /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Without arguments: `burnrate run --db /data/burnrate.db --listen 0.0.0.0:9464 --config /app/burnrate.yaml` when
# that file is mounted, the defaults over a mounted /app/slos otherwise, and exit 78 saying what to mount when
# neither is there. With arguments: that burnrate command (`docker run … burnrate validate --config /app/burnrate.yaml`).
ENTRYPOINT ["node", "dist/docker/entrypoint.js"]
