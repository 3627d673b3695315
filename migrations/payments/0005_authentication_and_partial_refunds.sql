DROP INDEX `payments_one_live_per_order`;--> statement-breakpoint
ALTER TABLE `payments` ADD `amount_refunded` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `next_action_url` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `transition_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_one_live_per_order` ON `payments` (`order_id`) WHERE status in ('processing', 'requires_action', 'succeeded');