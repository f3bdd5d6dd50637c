-- The store name search (src/store/storeSearchPg.ts), as SQLite's migration 0004 has it: every 1-,
-- 2- and 3-character piece of a store's name (ASCII lowercased, spaces removed; pieces starting in
-- the first 100 characters) in store_name_grams, kept in step by a trigger on every insert, rename
-- and delete, whoever writes the store.
CREATE TABLE "store_name_grams" (
  "gram" text NOT NULL,
  "store_id" text NOT NULL,
  PRIMARY KEY ("gram", "store_id")
);
--> statement-breakpoint
-- src/store/storeSearch.ts's nameKey: only A–Z are lowercased, like SQLite's lower(); PostgreSQL's
-- lower() would follow the server's locale ("À" → "à") and the pieces would differ from the query's.
CREATE FUNCTION "store_name_key"(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz')
$$;
--> statement-breakpoint
CREATE FUNCTION "store_name_pieces"(name text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT DISTINCT substr(k.v, p, n)
  FROM (SELECT store_name_key(name) AS v) AS k,
    generate_series(1, 3) AS n,
    generate_series(1, least(100, length(k.v) - n + 1)) AS p
$$;
--> statement-breakpoint
CREATE FUNCTION "stores_name_grams"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM store_name_grams
    WHERE store_id = OLD.id AND gram IN (SELECT store_name_pieces(OLD.name));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO store_name_grams (gram, store_id)
    SELECT piece, NEW.id FROM store_name_pieces(NEW.name) AS piece
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "stores_name_grams_insert" AFTER INSERT ON "stores"
FOR EACH ROW EXECUTE FUNCTION "stores_name_grams"();
--> statement-breakpoint
CREATE TRIGGER "stores_name_grams_rename" AFTER UPDATE OF "name" ON "stores"
FOR EACH ROW EXECUTE FUNCTION "stores_name_grams"();
--> statement-breakpoint
CREATE TRIGGER "stores_name_grams_delete" AFTER DELETE ON "stores"
FOR EACH ROW EXECUTE FUNCTION "stores_name_grams"();
--> statement-breakpoint
-- The stores that exist already.
INSERT INTO "store_name_grams" ("gram", "store_id")
SELECT piece, s.id FROM "stores" AS s, store_name_pieces(s.name) AS piece
ON CONFLICT DO NOTHING;
