CREATE INDEX `inbox_processed` ON `inbox` (`processed_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_received` ON `webhook_events` (`received_at`);