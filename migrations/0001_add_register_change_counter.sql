CREATE TABLE `register_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "register_state_single_row" CHECK("id" = 1)
);
