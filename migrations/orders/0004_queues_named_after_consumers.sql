-- Hand-written (drizzle-kit generate --custom): the queues are named after their one consumer now
-- (order-events → payments-queue, payment-events → orders-queue, notification-events → notifications-queue).
-- Outbox rows not yet sent keep their destination under the new name (their id is `<event id>:<destination>`),
-- and stored dead letters and failures show the queue by its new name.
UPDATE `outbox` SET `destination` = 'notifications-queue', `id` = `event_id` || ':notifications-queue' WHERE `destination` = 'notification-events';--> statement-breakpoint
UPDATE `outbox` SET `destination` = 'payments-queue', `id` = `event_id` || ':payments-queue' WHERE `destination` = 'order-events';--> statement-breakpoint
UPDATE `dead_letters` SET `queue` = 'orders-queue' WHERE `queue` = 'payment-events';--> statement-breakpoint
UPDATE `message_failures` SET `queue` = 'orders-queue' WHERE `queue` = 'payment-events';
