CREATE TABLE `product_counts` (
	`category` text PRIMARY KEY NOT NULL,
	`active` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX `products_active_created`;--> statement-breakpoint
DROP INDEX `products_active_category`;--> statement-breakpoint
DROP INDEX `products_active_price`;--> statement-breakpoint
CREATE INDEX `products_by_created` ON `products` (`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price` ON `products` (`price`,`seq`,`is_active`,`created_at`,`name`);--> statement-breakpoint
CREATE INDEX `products_by_name` ON `products` ("name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_created` ON `products` (`category`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price` ON `products` (`category`,`price`,`seq`,`is_active`,`created_at`,`name`);--> statement-breakpoint
CREATE INDEX `products_by_category_name` ON `products` (`category`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
-- Hand-written (not generated) from here on.
-- Category counts, kept by triggers on every insert, delete and change of category or activity (stock changes
-- touch neither, so reservations never fire them); filled once from the rows that exist.
CREATE TRIGGER `product_counts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT OR IGNORE INTO `product_counts` (`category`) VALUES (new.`category`);
	UPDATE `product_counts` SET `active` = `active` + new.`is_active`, `total` = `total` + 1
	WHERE `category` = new.`category`;
END;
--> statement-breakpoint
CREATE TRIGGER `product_counts_after_delete` AFTER DELETE ON `products` BEGIN
	UPDATE `product_counts` SET `active` = `active` - old.`is_active`, `total` = `total` - 1
	WHERE `category` = old.`category`;
END;
--> statement-breakpoint
CREATE TRIGGER `product_counts_after_update` AFTER UPDATE OF `category`, `is_active` ON `products`
WHEN old.`category` IS NOT new.`category` OR old.`is_active` IS NOT new.`is_active` BEGIN
	UPDATE `product_counts` SET `active` = `active` - old.`is_active`, `total` = `total` - 1
	WHERE `category` = old.`category`;
	INSERT OR IGNORE INTO `product_counts` (`category`) VALUES (new.`category`);
	UPDATE `product_counts` SET `active` = `active` + new.`is_active`, `total` = `total` + 1
	WHERE `category` = new.`category`;
END;
--> statement-breakpoint
INSERT INTO `product_counts` (`category`, `active`, `total`)
SELECT `category`, sum(`is_active`), count(*) FROM `products` GROUP BY `category`;
--> statement-breakpoint
-- The full-text index again, with prefix indexes of 1 to 3 characters: a search's last word is prefix-matched,
-- and without them a short prefix ("s") merges the lists of every word it starts. Rebuilt once from the rows.
DROP TABLE `products_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	`name`, `description`, `tags`,
	content = 'products', content_rowid = 'seq',
	tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
--> statement-breakpoint
INSERT INTO `products_fts` (`products_fts`) VALUES ('rebuild');
--> statement-breakpoint
-- A write that sets the text to what it was (a PUT of the whole product) no longer re-indexes it.
DROP TRIGGER `products_fts_after_update`;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF `name`, `description`, `tags` ON `products`
WHEN old.`name` IS NOT new.`name` OR old.`description` IS NOT new.`description` OR old.`tags` IS NOT new.`tags`
BEGIN
	INSERT INTO `products_fts` (`products_fts`, `rowid`, `name`, `description`, `tags`)
	VALUES ('delete', old.`seq`, old.`name`, old.`description`, old.`tags`);
	INSERT INTO `products_fts` (`rowid`, `name`, `description`, `tags`)
	VALUES (new.`seq`, new.`name`, new.`description`, new.`tags`);
END;
