# One image for the three production roles (api, gateway, worker); the role is the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The SQL migrations are read as files at start.
COPY --from=build /app/src/db/migrations ./src/db/migrations
COPY --from=build /app/scripts ./scripts
USER node
CMD ["node", "dist/src/main/api.js"]
