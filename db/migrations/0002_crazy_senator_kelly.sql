CREATE TABLE `accounting_findings` (
	`day_id` text NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`detail` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`day_id`, `order_id`, `kind`),
	FOREIGN KEY (`day_id`) REFERENCES `day_businesses`(`id`) ON UPDATE no action ON DELETE no action
);
