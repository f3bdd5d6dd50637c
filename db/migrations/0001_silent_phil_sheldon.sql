ALTER TABLE `payments` ADD `redirect_mobile_url` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `redirect_pc_url` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `failure_code` text;