CREATE TABLE `day_businesses` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`state` text NOT NULL,
	`business_date` text NOT NULL,
	`ready_at` integer NOT NULL,
	`opened_at` integer,
	`closing_at` integer,
	`closed_at` integer,
	`last_entry_id` text,
	`order_count` integer DEFAULT 0 NOT NULL,
	`gross_amount` integer DEFAULT 0 NOT NULL,
	`accounting_job_id` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `day_businesses_store` ON `day_businesses` (`store_id`,`ready_at`);--> statement-breakpoint
CREATE TABLE `day_reports` (
	`day_id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`report` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`day_id`) REFERENCES `day_businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`label` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_token_hash` ON `devices` (`token_hash`);--> statement-breakpoint
CREATE INDEX `devices_store` ON `devices` (`store_id`);--> statement-breakpoint
CREATE TABLE `menu_items` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`price` integer NOT NULL,
	`category` text DEFAULT '메뉴' NOT NULL,
	`description` text,
	`image_url` text,
	`sold_out` integer DEFAULT false NOT NULL,
	`option_groups` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `menu_items_store` ON `menu_items` (`store_id`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`menu_item_id` text,
	`name` text NOT NULL,
	`unit_price` integer NOT NULL,
	`qty` integer NOT NULL,
	`options` text NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_items_order` ON `order_items` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`day_id` text NOT NULL,
	`bot_user_key` text NOT NULL,
	`customer_name` text,
	`status` text NOT NULL,
	`pickup_number` integer,
	`total_amount` integer NOT NULL,
	`item_summary` text NOT NULL,
	`cart_key` text,
	`entry_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`paid_at` integer,
	`accepted_at` integer,
	`ready_at` integer,
	`picked_up_at` integer,
	`canceled_at` integer,
	`cancel_reason` text,
	`failure_reason` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`day_id`) REFERENCES `day_businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_day_status` ON `orders` (`day_id`,`status`);--> statement-breakpoint
CREATE INDEX `orders_store_created` ON `orders` (`store_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_customer` ON `orders` (`bot_user_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_created` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_cart_key` ON `orders` (`cart_key`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`provider` text DEFAULT 'kakaopay' NOT NULL,
	`tid` text,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`canceled_amount` integer DEFAULT 0 NOT NULL,
	`approved_at` integer,
	`canceled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_order` ON `payments` (`order_id`);--> statement-breakpoint
CREATE INDEX `payments_tid` ON `payments` (`tid`);--> statement-breakpoint
CREATE TABLE `settlements` (
	`day_id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`net_amount` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`day_id`) REFERENCES `day_businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`pin_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
