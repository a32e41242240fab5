DROP INDEX `applications_name_idx`;--> statement-breakpoint
CREATE INDEX `applications_sort_name_idx` ON `applications` (lower("name"),`id`);