DROP INDEX `audit_log_user_idx`;--> statement-breakpoint
CREATE INDEX `audit_log_type_at_idx` ON `audit_log` (`entity_type`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user_at_idx` ON `audit_log` (`user_id`,`at`);