# One image for both apps; Compose picks the entry point per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The postinstall step applies them (patch-package).
COPY patches patches
# npm install (with the lock file) rather than npm ci: see scripts/stack.sh.
RUN npm install --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY libs libs
COPY apps apps
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node
EXPOSE 3001 3002
CMD ["node", "--enable-source-maps", "--max-semi-space-size=64", "--expose-gc", "--heap-growing-percent=100", "dist/apps/command/apps/command/src/main.js"]
