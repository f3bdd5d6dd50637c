-- The store name search (src/store/storeSearch.ts): every 1-, 2- and 3-character piece of a
-- store's name (lowercased, spaces removed; the first 100 characters) in store_name_grams. Triggers
-- keep it in step with every insert, rename and delete, whoever writes the store. WITHOUT ROWID:
-- the primary key is the whole table, one b-tree to write instead of two; removing a name looks
-- its own pieces up instead of reading the table.
CREATE TABLE `store_name_grams` (
  `gram` text NOT NULL,
  `store_id` text NOT NULL,
  PRIMARY KEY (`gram`, `store_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- 1…100: where a piece starts and how long it is (a trigger cannot count with a recursive query).
CREATE TABLE `store_name_positions` (`i` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO `store_name_positions` (`i`) SELECT i FROM n;
--> statement-breakpoint
CREATE TRIGGER `stores_name_grams_insert` AFTER INSERT ON `stores` BEGIN
  INSERT OR IGNORE INTO `store_name_grams` (`gram`, `store_id`)
  SELECT g.piece, NEW.id FROM (
    SELECT substr(k.v, p.i, n.i) AS piece
    FROM (SELECT lower(replace(NEW.name, ' ', '')) AS v) AS k,
      `store_name_positions` AS n, `store_name_positions` AS p
    WHERE n.i <= 3 AND p.i <= length(k.v) - n.i + 1
  ) AS g;
END;
--> statement-breakpoint
CREATE TRIGGER `stores_name_grams_rename` AFTER UPDATE OF `name` ON `stores` BEGIN
  DELETE FROM `store_name_grams`
  WHERE `store_id` = OLD.id AND `gram` IN (
    SELECT substr(k.v, p.i, n.i)
    FROM (SELECT lower(replace(OLD.name, ' ', '')) AS v) AS k,
      `store_name_positions` AS n, `store_name_positions` AS p
    WHERE n.i <= 3 AND p.i <= length(k.v) - n.i + 1
  );
  INSERT OR IGNORE INTO `store_name_grams` (`gram`, `store_id`)
  SELECT g.piece, NEW.id FROM (
    SELECT substr(k.v, p.i, n.i) AS piece
    FROM (SELECT lower(replace(NEW.name, ' ', '')) AS v) AS k,
      `store_name_positions` AS n, `store_name_positions` AS p
    WHERE n.i <= 3 AND p.i <= length(k.v) - n.i + 1
  ) AS g;
END;
--> statement-breakpoint
CREATE TRIGGER `stores_name_grams_delete` AFTER DELETE ON `stores` BEGIN
  DELETE FROM `store_name_grams`
  WHERE `store_id` = OLD.id AND `gram` IN (
    SELECT substr(k.v, p.i, n.i)
    FROM (SELECT lower(replace(OLD.name, ' ', '')) AS v) AS k,
      `store_name_positions` AS n, `store_name_positions` AS p
    WHERE n.i <= 3 AND p.i <= length(k.v) - n.i + 1
  );
END;
--> statement-breakpoint
-- The stores that exist already.
INSERT OR IGNORE INTO `store_name_grams` (`gram`, `store_id`)
SELECT substr(k.v, p.i, n.i), k.id
  FROM (SELECT `id`, lower(replace(`name`, ' ', '')) AS v FROM `stores`) AS k,
    `store_name_positions` AS n, `store_name_positions` AS p
  WHERE n.i <= 3 AND p.i <= length(k.v) - n.i + 1;
--> statement-breakpoint
-- Menu order: each store's categories in the order they first appeared (the order the shop
-- entered them), items numbered 0, 1, 2… within their category in the order shown until now.
INSERT OR IGNORE INTO `menu_categories` (`store_id`, `name`, `position`)
SELECT `store_id`, `category`, row_number() OVER (PARTITION BY `store_id` ORDER BY min(rowid)) - 1
  FROM `menu_items` WHERE `deleted_at` IS NULL GROUP BY `store_id`, `category`;
--> statement-breakpoint
UPDATE `menu_items` SET `sort_order` = r.pos
  FROM (
    SELECT `id`, row_number() OVER (
      PARTITION BY `store_id`, `category` ORDER BY `sort_order`, `created_at`, rowid
    ) - 1 AS pos
    FROM `menu_items` WHERE `deleted_at` IS NULL
  ) AS r
  WHERE `menu_items`.`id` = r.`id`;
