CREATE TABLE `agreement_applications` (
	`agreement_id` integer NOT NULL,
	`application_id` integer NOT NULL,
	PRIMARY KEY(`agreement_id`, `application_id`),
	FOREIGN KEY (`agreement_id`) REFERENCES `agreements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agreement_applications_application_idx` ON `agreement_applications` (`application_id`);--> statement-breakpoint
CREATE TABLE `agreement_data_categories` (
	`agreement_id` integer NOT NULL,
	`data_category_id` integer NOT NULL,
	PRIMARY KEY(`agreement_id`, `data_category_id`),
	FOREIGN KEY (`agreement_id`) REFERENCES `agreements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_category_id`) REFERENCES `data_categories`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `agreement_data_categories_category_idx` ON `agreement_data_categories` (`data_category_id`);--> statement-breakpoint
CREATE TABLE `agreement_data_subjects` (
	`agreement_id` integer NOT NULL,
	`data_subject_id` integer NOT NULL,
	PRIMARY KEY(`agreement_id`, `data_subject_id`),
	FOREIGN KEY (`agreement_id`) REFERENCES `agreements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_subject_id`) REFERENCES `data_subjects`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `agreements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`supplier_id` integer NOT NULL,
	`reference` text NOT NULL,
	`model` text NOT NULL,
	`status` text DEFAULT 'concept' NOT NULL,
	`signed_on` text,
	`starts_on` text,
	`ends_on` text,
	`next_review_on` text,
	`signatory_name` text,
	`signatory_role` text,
	`signed_via_portal` integer DEFAULT false NOT NULL,
	`deviations` text,
	`deviations_motivation` text,
	`annex_version` text,
	`annex_date` text,
	`breach_notification_hours` integer,
	`deletion_term_days` integer,
	`sivon_review_url` text,
	`sivon_risk_level` text,
	`document_id` integer,
	`supersedes_id` integer,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`supplier_id`) REFERENCES `suppliers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`supersedes_id`) REFERENCES `agreements`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "agreements_model" CHECK("model" in ('1.0', '2.0', '3.0', '4.0', 'algemeen', 'eigen')),
	CONSTRAINT "agreements_status" CHECK("status" in ('concept', 'aangeboden', 'in_beoordeling', 'ondertekend', 'verlopen', 'beeindigd')),
	CONSTRAINT "agreements_sivon_risk_level" CHECK("sivon_risk_level" is null or "sivon_risk_level" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "agreements_signed_on" CHECK("signed_on" is null or date("signed_on") = "signed_on"),
	CONSTRAINT "agreements_starts_on" CHECK("starts_on" is null or date("starts_on") = "starts_on"),
	CONSTRAINT "agreements_ends_on" CHECK("ends_on" is null or date("ends_on") = "ends_on"),
	CONSTRAINT "agreements_next_review_on" CHECK("next_review_on" is null or date("next_review_on") = "next_review_on"),
	CONSTRAINT "agreements_annex_date" CHECK("annex_date" is null or date("annex_date") = "annex_date"),
	CONSTRAINT "agreements_period" CHECK("starts_on" is null or "ends_on" is null or "ends_on" >= "starts_on"),
	CONSTRAINT "agreements_breach_hours" CHECK("breach_notification_hours" is null or "breach_notification_hours" >= 0),
	CONSTRAINT "agreements_deletion_days" CHECK("deletion_term_days" is null or "deletion_term_days" >= 0)
);
--> statement-breakpoint
CREATE INDEX `agreements_supplier_idx` ON `agreements` (`supplier_id`);--> statement-breakpoint
CREATE INDEX `agreements_status_ends_idx` ON `agreements` (`status`,`ends_on`);--> statement-breakpoint
CREATE INDEX `agreements_supersedes_idx` ON `agreements` (`supersedes_id`);--> statement-breakpoint
CREATE TABLE `application_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`data_category_id` integer NOT NULL,
	`data_subject_id` integer NOT NULL,
	`purpose` text,
	`detail` text,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_category_id`) REFERENCES `data_categories`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`data_subject_id`) REFERENCES `data_subjects`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `application_data_unique` ON `application_data` (`application_id`,`data_category_id`,`data_subject_id`);--> statement-breakpoint
CREATE INDEX `application_data_category_idx` ON `application_data` (`data_category_id`);--> statement-breakpoint
CREATE TABLE `application_functions` (
	`application_id` integer NOT NULL,
	`function_id` integer NOT NULL,
	PRIMARY KEY(`application_id`, `function_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`function_id`) REFERENCES `fora_functions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `application_functions_function_idx` ON `application_functions` (`function_id`);--> statement-breakpoint
CREATE TABLE `application_measures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`measure_id` integer NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`checked_on` text,
	`checked_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`measure_id`) REFERENCES `security_measures`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`checked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "application_measures_status" CHECK("status" in ('aanwezig', 'gedeeltelijk', 'afwezig', 'nvt')),
	CONSTRAINT "application_measures_checked_on" CHECK("checked_on" is null or date("checked_on") = "checked_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `application_measures_unique` ON `application_measures` (`application_id`,`measure_id`);--> statement-breakpoint
CREATE TABLE `application_schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`since` text,
	`until` text,
	`local_contact` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "application_schools_since" CHECK("since" is null or date("since") = "since"),
	CONSTRAINT "application_schools_until" CHECK("until" is null or date("until") = "until"),
	CONSTRAINT "application_schools_period" CHECK("since" is null or "until" is null or "until" >= "since")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `application_schools_unique` ON `application_schools` (`application_id`,`school_id`);--> statement-breakpoint
CREATE INDEX `application_schools_school_idx` ON `application_schools` (`school_id`,`application_id`);--> statement-breakpoint
CREATE TABLE `applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`supplier_id` integer NOT NULL,
	`description` text,
	`goal` text,
	`lifecycle` text DEFAULT 'in_gebruik' NOT NULL,
	`functional_owner` text,
	`used_by_pupils` integer DEFAULT false NOT NULL,
	`used_by_staff` integer DEFAULT false NOT NULL,
	`used_by_parents` integer DEFAULT false NOT NULL,
	`processes_personal_data` integer DEFAULT true NOT NULL,
	`data_location_country` text,
	`data_in_eea` integer,
	`transfer_mechanism` text,
	`cost_one_time_cents` integer,
	`cost_licence_per_year_cents` integer,
	`cost_implementation_cents` integer,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`supplier_id`) REFERENCES `suppliers`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "applications_lifecycle" CHECK("lifecycle" in ('aangevraagd', 'in_gebruik', 'uitfaseren', 'uitgefaseerd')),
	CONSTRAINT "applications_transfer_mechanism" CHECK("transfer_mechanism" is null or "transfer_mechanism" in ('adequaatheidsbesluit', 'scc', 'dpf', 'geen')),
	CONSTRAINT "applications_costs_non_negative" CHECK(coalesce("cost_one_time_cents", 0) >= 0 and coalesce("cost_licence_per_year_cents", 0) >= 0 and coalesce("cost_implementation_cents", 0) >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `applications_supplier_name_unique` ON `applications` (`supplier_id`,lower("name"));--> statement-breakpoint
CREATE INDEX `applications_lifecycle_idx` ON `applications` (`lifecycle`);--> statement-breakpoint
CREATE INDEX `applications_name_idx` ON `applications` (`name`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer,
	`summary` text NOT NULL,
	`before` text,
	`after` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user_idx` ON `audit_log` (`user_id`);--> statement-breakpoint
CREATE TABLE `board` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kvk` text,
	`address` text,
	`email` text,
	`dpo_name` text,
	`dpo_email` text,
	`dpo_phone` text,
	`privacy_officer_name` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "board_single_row" CHECK("id" = 1),
	CONSTRAINT "board_kvk" CHECK("kvk" is null or (length("kvk") = 8 and "kvk" not glob '*[^0-9]*'))
);
--> statement-breakpoint
CREATE TABLE `breach_data_categories` (
	`breach_id` integer NOT NULL,
	`data_category_id` integer NOT NULL,
	PRIMARY KEY(`breach_id`, `data_category_id`),
	FOREIGN KEY (`breach_id`) REFERENCES `breaches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_category_id`) REFERENCES `data_categories`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `breaches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`application_id` integer,
	`supplier_id` integer,
	`discovered_at` integer NOT NULL,
	`discovered_by` text,
	`supplier_reported_at` integer,
	`affects_confidentiality` integer DEFAULT false NOT NULL,
	`affects_integrity` integer DEFAULT false NOT NULL,
	`affects_availability` integer DEFAULT false NOT NULL,
	`people_count` integer,
	`records_count` integer,
	`risk` text,
	`regulator_notified` text DEFAULT 'onbekend' NOT NULL,
	`regulator_notified_at` integer,
	`regulator_reasoning` text,
	`subjects_notified` text DEFAULT 'onbekend' NOT NULL,
	`subjects_notified_at` integer,
	`subjects_reasoning` text,
	`measures` text,
	`closed_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`supplier_id`) REFERENCES `suppliers`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "breaches_risk" CHECK("risk" is null or "risk" in ('geen', 'risico', 'hoog_risico')),
	CONSTRAINT "breaches_regulator_notified" CHECK("regulator_notified" in ('ja', 'nee', 'onbekend')),
	CONSTRAINT "breaches_subjects_notified" CHECK("subjects_notified" in ('ja', 'nee', 'onbekend')),
	CONSTRAINT "breaches_counts" CHECK(coalesce("people_count", 0) >= 0 and coalesce("records_count", 0) >= 0),
	CONSTRAINT "breaches_order" CHECK(("regulator_notified_at" is null or "regulator_notified_at" >= "discovered_at") and ("closed_at" is null or "closed_at" >= "discovered_at"))
);
--> statement-breakpoint
CREATE INDEX `breaches_application_idx` ON `breaches` (`application_id`);--> statement-breakpoint
CREATE INDEX `breaches_open_idx` ON `breaches` (`closed_at`);--> statement-breakpoint
CREATE TABLE `classifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`availability` text NOT NULL,
	`integrity` text NOT NULL,
	`confidentiality` text NOT NULL,
	`proposed_availability` text,
	`proposed_integrity` text,
	`proposed_confidentiality` text,
	`answers` text,
	`rationale` text NOT NULL,
	`reason` text,
	`assessed_by` integer,
	`assessor_name` text NOT NULL,
	`assessed_on` text NOT NULL,
	`next_review_on` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assessed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "classifications_availability" CHECK("availability" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_integrity" CHECK("integrity" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_confidentiality" CHECK("confidentiality" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_proposed_availability" CHECK("proposed_availability" is null or "proposed_availability" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_proposed_integrity" CHECK("proposed_integrity" is null or "proposed_integrity" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_proposed_confidentiality" CHECK("proposed_confidentiality" is null or "proposed_confidentiality" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "classifications_assessed_on" CHECK(date("assessed_on") = "assessed_on"),
	CONSTRAINT "classifications_next_review_on" CHECK(date("next_review_on") = "next_review_on")
);
--> statement-breakpoint
CREATE INDEX `classifications_application_idx` ON `classifications` (`application_id`,`id`);--> statement-breakpoint
CREATE TABLE `data_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`description` text,
	`flag` text,
	`min_confidentiality` text DEFAULT 'laag' NOT NULL,
	`is_custom` integer DEFAULT false NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "data_categories_flag" CHECK("flag" is null or "flag" in ('gevoelig', 'bijzonder', 'nationaal_id', 'toestemming')),
	CONSTRAINT "data_categories_min_confidentiality" CHECK("min_confidentiality" in ('laag', 'midden', 'hoog'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_categories_code_unique` ON `data_categories` (`code`);--> statement-breakpoint
CREATE TABLE `data_subjects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`vulnerable` integer DEFAULT false NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_subjects_code_unique` ON `data_subjects` (`code`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`original_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`uploaded_by` integer,
	`uploaded_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "documents_sha256" CHECK(length("sha256") = 64 and "sha256" not glob '*[^0-9a-f]*'),
	CONSTRAINT "documents_size" CHECK("size_bytes" > 0)
);
--> statement-breakpoint
CREATE INDEX `documents_sha256_idx` ON `documents` (`sha256`);--> statement-breakpoint
CREATE TABLE `dpias` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`required` text DEFAULT 'onbekend' NOT NULL,
	`criteria` text DEFAULT '[]' NOT NULL,
	`not_required_reasoning` text,
	`type` text,
	`status` text DEFAULT 'niet_gestart' NOT NULL,
	`performed_on` text,
	`residual_risk` text,
	`next_review_on` text,
	`document_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "dpias_required" CHECK("required" in ('ja', 'nee', 'onbekend')),
	CONSTRAINT "dpias_type" CHECK("type" is null or "type" in ('sivon', 'sector', 'eigen')),
	CONSTRAINT "dpias_status" CHECK("status" in ('niet_gestart', 'in_uitvoering', 'afgerond')),
	CONSTRAINT "dpias_residual_risk" CHECK("residual_risk" is null or "residual_risk" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "dpias_performed_on" CHECK("performed_on" is null or date("performed_on") = "performed_on"),
	CONSTRAINT "dpias_next_review_on" CHECK("next_review_on" is null or date("next_review_on") = "next_review_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dpias_application_unique` ON `dpias` (`application_id`);--> statement-breakpoint
CREATE TABLE `fora_domains` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fora_domains_code_unique` ON `fora_domains` (`code`);--> statement-breakpoint
CREATE TABLE `fora_functions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`domain_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`domain_id`) REFERENCES `fora_domains`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fora_functions_code_unique` ON `fora_functions` (`code`);--> statement-breakpoint
CREATE INDEX `fora_functions_domain_idx` ON `fora_functions` (`domain_id`);--> statement-breakpoint
CREATE TABLE `intake_request_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`data_category_id` integer NOT NULL,
	`data_subject_id` integer NOT NULL,
	`purpose` text,
	FOREIGN KEY (`request_id`) REFERENCES `intake_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_category_id`) REFERENCES `data_categories`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`data_subject_id`) REFERENCES `data_subjects`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `intake_request_data_unique` ON `intake_request_data` (`request_id`,`data_category_id`,`data_subject_id`);--> statement-breakpoint
CREATE TABLE `intake_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_id` integer NOT NULL,
	`requested_by` integer,
	`application_name` text NOT NULL,
	`supplier_id` integer,
	`supplier_name` text,
	`supplier_covenant_status` text,
	`goal` text NOT NULL,
	`fora_function_id` integer,
	`existing_alternatives` text,
	`landscape_fit` text,
	`cost_one_time_cents` integer,
	`cost_licence_per_year_cents` integer,
	`cost_implementation_cents` integer,
	`status` text DEFAULT 'ingediend' NOT NULL,
	`decision_reason` text,
	`decided_by` integer,
	`decided_at` integer,
	`application_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`supplier_id`) REFERENCES `suppliers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`fora_function_id`) REFERENCES `fora_functions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "intake_requests_status" CHECK("status" in ('ingediend', 'in_beoordeling', 'aanvulling_gevraagd', 'goedgekeurd', 'afgewezen')),
	CONSTRAINT "intake_requests_covenant" CHECK("supplier_covenant_status" is null or "supplier_covenant_status" in ('deelnemer', 'medestander', 'geen')),
	CONSTRAINT "intake_requests_costs_non_negative" CHECK(coalesce("cost_one_time_cents", 0) >= 0 and coalesce("cost_licence_per_year_cents", 0) >= 0 and coalesce("cost_implementation_cents", 0) >= 0)
);
--> statement-breakpoint
CREATE INDEX `intake_requests_school_idx` ON `intake_requests` (`school_id`,`status`);--> statement-breakpoint
CREATE TABLE `retention_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`data_category_id` integer,
	`record_type` text NOT NULL,
	`term_months` integer,
	`term_text` text NOT NULL,
	`trigger` text NOT NULL,
	`action` text NOT NULL,
	`source` text,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`data_category_id`) REFERENCES `data_categories`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "retention_rules_action" CHECK("action" in ('vernietigen', 'archiveren', 'anonimiseren')),
	CONSTRAINT "retention_rules_term" CHECK("term_months" is null or "term_months" >= 0)
);
--> statement-breakpoint
CREATE INDEX `retention_rules_category_idx` ON `retention_rules` (`data_category_id`);--> statement-breakpoint
CREATE TABLE `schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`brin` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`sector` text NOT NULL,
	`city` text,
	`contact_name` text,
	`contact_email` text,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "schools_sector" CHECK("sector" in ('po', 'vo', 'so')),
	CONSTRAINT "schools_brin" CHECK(length("brin") = 4 and "brin" glob '[0-9][0-9][A-Z][A-Z]'),
	CONSTRAINT "schools_location" CHECK("location" = '' or (length("location") = 2 and "location" glob '[0-9][0-9]'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schools_brin_location_unique` ON `schools` (`brin`,`location`);--> statement-breakpoint
CREATE TABLE `security_measures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`aspect` text NOT NULL,
	`level` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`owner` text DEFAULT 'beide' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "security_measures_aspect" CHECK("aspect" in ('beschikbaarheid', 'integriteit', 'vertrouwelijkheid')),
	CONSTRAINT "security_measures_level" CHECK("level" in ('laag', 'midden', 'hoog')),
	CONSTRAINT "security_measures_owner" CHECK("owner" in ('leverancier', 'school', 'beide'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `security_measures_code_unique` ON `security_measures` (`code`);--> statement-breakpoint
CREATE INDEX `security_measures_aspect_level_idx` ON `security_measures` (`aspect`,`level`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`sid` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`user_id` integer,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sub_processors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agreement_id` integer NOT NULL,
	`name` text NOT NULL,
	`service` text,
	`country` text,
	`in_eea` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`agreement_id`) REFERENCES `agreements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sub_processors_agreement_idx` ON `sub_processors` (`agreement_id`);--> statement-breakpoint
CREATE TABLE `suppliers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kvk` text,
	`website` text,
	`privacy_contact_name` text,
	`privacy_contact_email` text,
	`covenant_status` text DEFAULT 'geen' NOT NULL,
	`cert_iso27001` integer DEFAULT false NOT NULL,
	`cert_nen7510` integer DEFAULT false NOT NULL,
	`cert_rosa` integer DEFAULT false NOT NULL,
	`notes` text,
	`archived_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "suppliers_covenant_status" CHECK("covenant_status" in ('deelnemer', 'medestander', 'geen')),
	CONSTRAINT "suppliers_kvk" CHECK("kvk" is null or (length("kvk") = 8 and "kvk" not glob '*[^0-9]*'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppliers_kvk_unique` ON `suppliers` (`kvk`);--> statement-breakpoint
CREATE UNIQUE INDEX `suppliers_name_unique` ON `suppliers` (lower("name"));--> statement-breakpoint
CREATE TABLE `user_schools` (
	`user_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	PRIMARY KEY(`user_id`, `school_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `user_schools_school_idx` ON `user_schools` (`school_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`digest_frequency` text DEFAULT 'wekelijks' NOT NULL,
	`last_login_at` integer,
	`password_changed_at` integer,
	`disabled_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "users_role" CHECK("role" in ('admin', 'privacy_officer', 'school', 'auditor')),
	CONSTRAINT "users_digest_frequency" CHECK("digest_frequency" in ('nooit', 'dagelijks', 'wekelijks')),
	CONSTRAINT "users_email_lower" CHECK("email" = lower("email"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);