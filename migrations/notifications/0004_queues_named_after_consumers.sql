-- Hand-written (drizzle-kit generate --custom): the queues are named after their one consumer now
-- (order-events → payments-queue, payment-events → orders-queue, notification-events → notifications-queue).
-- Outbox rows not yet sent keep their destination under the new name (their id is `<event id>:<destination>`),
-- and stored dead letters and failures show the queue by its new name.
UPDATE `dead_letters` SET `queue` = 'notifications-queue' WHERE `queue` = 'notification-events';--> statement-breakpoint
UPDATE `message_failures` SET `queue` = 'notifications-queue' WHERE `queue` = 'notification-events';
