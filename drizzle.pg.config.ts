import { defineConfig } from "drizzle-kit";

// The PostgreSQL twin of drizzle.config.ts: db/schema.pg.ts → db/migrations-pg.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations-pg",
});
