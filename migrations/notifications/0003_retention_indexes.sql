CREATE INDEX `inbox_processed` ON `inbox` (`processed_at`);--> statement-breakpoint
CREATE INDEX `notifications_created` ON `notifications` (`created_at`);