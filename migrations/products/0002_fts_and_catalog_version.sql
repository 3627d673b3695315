-- Full-text search over name, description and tags. External content: the text lives once, in `products`;
-- the triggers below keep the index in step with every insert, update and delete of those columns.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	`name`, `description`, `tags`,
	content = 'products', content_rowid = 'seq',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO `products_fts` (`rowid`, `name`, `description`, `tags`)
	VALUES (new.`seq`, new.`name`, new.`description`, new.`tags`);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	INSERT INTO `products_fts` (`products_fts`, `rowid`, `name`, `description`, `tags`)
	VALUES ('delete', old.`seq`, old.`name`, old.`description`, old.`tags`);
END;
--> statement-breakpoint
-- Only text changes touch the index: stock updates from reserve/release leave it alone.
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF `name`, `description`, `tags` ON `products` BEGIN
	INSERT INTO `products_fts` (`products_fts`, `rowid`, `name`, `description`, `tags`)
	VALUES ('delete', old.`seq`, old.`name`, old.`description`, old.`tags`);
	INSERT INTO `products_fts` (`rowid`, `name`, `description`, `tags`)
	VALUES (new.`seq`, new.`name`, new.`description`, new.`tags`);
END;
--> statement-breakpoint
-- Index whatever rows already exist (none on a fresh database; harmless otherwise).
INSERT INTO `products_fts` (`products_fts`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `catalog_meta` (`id`, `version`) VALUES (1, 1) ON CONFLICT DO NOTHING;
