-- issue 5: "add actual: unplanned" (domain 4.5) records a line for a service level of the
-- contract that has no cpli for the client that week, so an actual line's cpli becomes
-- optional.
alter table actual_line alter column cpli_id drop not null;

-- one unplanned line per client, week and service level.
create unique index actual_line_unplanned
    on actual_line (service_id, client_id, week_start, service_level_id) where cpli_id is null;
