CREATE TABLE `media` (
	`hash` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`stored` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer,
	`deleting` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `media_released` ON `media` (`released_at`);
--> statement-breakpoint
-- Hand-written (not generated): product pictures are now same-origin /media/… URLs of uploaded pictures only, so
-- the external URLs stored before are dropped; the changed rows get a new version so their cached pages retire.
UPDATE `catalog_meta` SET `version` = `version` + 1 WHERE `id` = 1;
--> statement-breakpoint
UPDATE `products` SET `images` = '[]', `version` = (SELECT `version` FROM `catalog_meta` WHERE `id` = 1)
WHERE `images` <> '[]';
