ALTER TABLE `products` ADD `price_digits` integer GENERATED ALWAYS AS (length(CAST(`price` AS TEXT))) VIRTUAL;--> statement-breakpoint
ALTER TABLE `products` ADD `price_lead1` integer GENERATED ALWAYS AS ((length(CAST(`price` AS TEXT)) * 100 + CAST(substr(CAST(`price` AS TEXT) || '0', 1, 2) AS INTEGER)) / 10) VIRTUAL;--> statement-breakpoint
ALTER TABLE `products` ADD `price_lead2` integer GENERATED ALWAYS AS (length(CAST(`price` AS TEXT)) * 100 + CAST(substr(CAST(`price` AS TEXT) || '0', 1, 2) AS INTEGER)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `products_by_price_digits_created` ON `products` (`price_digits`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price_lead1_created` ON `products` (`price_lead1`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price_lead2_created` ON `products` (`price_lead2`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price_digits_name` ON `products` (`price_digits`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price_lead1_name` ON `products` (`price_lead1`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_price_lead2_name` ON `products` (`price_lead2`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_digits_created` ON `products` (`category`,`price_digits`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_lead1_created` ON `products` (`category`,`price_lead1`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_lead2_created` ON `products` (`category`,`price_lead2`,`created_at`,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_digits_name` ON `products` (`category`,`price_digits`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_lead1_name` ON `products` (`category`,`price_lead1`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_by_category_price_lead2_name` ON `products` (`category`,`price_lead2`,"name" COLLATE NOCASE,`seq`,`is_active`,`price`);