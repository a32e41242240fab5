import { defineConfig } from "drizzle-kit";

// Only for `npm run db:generate`: the app migrates itself at start (src/db/client.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
