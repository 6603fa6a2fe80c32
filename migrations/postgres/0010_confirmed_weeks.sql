-- issue 5: a provider confirms a client's week (the guides' per-row confirm). a later change
-- to the week clears the confirmation, so it always speaks of the figures as they are.
alter table client_week add column confirmed_at text;
alter table client_week add column confirmed_by bigint references app_user (id);
