CREATE TABLE `promotion_redemptions` (
	`order_id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer
);
--> statement-breakpoint
CREATE INDEX `promotion_redemptions_code` ON `promotion_redemptions` (`code`,`released_at`);--> statement-breakpoint
CREATE INDEX `promotion_redemptions_code_user` ON `promotion_redemptions` (`code`,`user_id`,`released_at`);--> statement-breakpoint
CREATE TABLE `promotions` (
	`code` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`value` integer NOT NULL,
	`currency` text,
	`min_subtotal` integer DEFAULT 0 NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`usage_limit` integer,
	`per_customer_limit` integer,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tax_rates` (
	`country` text PRIMARY KEY NOT NULL,
	`rate_bp` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `subtotal` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `discount_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `promotion_code` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_option_id` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_option_name` text DEFAULT 'Standard' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_rate_bp` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written (not from the schema): orders placed before money at checkout had no discount, shipping or tax,
-- so their subtotal is what they charged; the defaults above fill the rest (0, `standard`, no code).
UPDATE `orders` SET `subtotal` = `total`;--> statement-breakpoint
-- Hand-written: the demo's tax table (basis points; a country not listed pays no tax).
INSERT INTO `tax_rates` (`country`, `rate_bp`, `updated_at`) VALUES
	('DE', 1900, 0), ('FR', 2000, 0), ('GB', 2000, 0), ('NL', 2100, 0), ('NO', 2500, 0), ('US', 0, 0);
