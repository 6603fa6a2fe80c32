-- issue 5: "add actual: unplanned" (domain 4.5) records a line for a service level of the
-- contract that has no cpli for the client that week, so an actual line's cpli becomes
-- optional. sqlite cannot drop a not null constraint, so the table is rebuilt with the same
-- columns and rows. its session rows are set aside and put back around the rebuild, so no
-- foreign key is ever left pointing at a missing line.
create table actual_session_row_kept as select * from actual_session_row;
delete from actual_session_row;

create table actual_line_rebuilt (
    id integer primary key,
    service_id bigint not null references service (id),
    client_id bigint not null references client (id),
    week_start text not null,
    -- null for an unplanned line.
    cpli_id bigint references cpli (id),
    service_level_id bigint not null references service_level (id),
    planned_hundredths bigint not null,
    actual_hundredths bigint not null,
    frustrated_hundredths bigint not null,
    missed_hundredths bigint not null,
    extra_hundredths bigint not null,
    visits_hundredths bigint,
    comment text not null default '',
    rate_pence bigint not null,
    cost_pence bigint not null,
    created_at text not null,
    updated_at text not null,
    updated_by bigint references app_user (id),
    updated_by_tool bigint references tool_client (id),
    unique (cpli_id, week_start)
);
insert into actual_line_rebuilt (id, service_id, client_id, week_start, cpli_id, service_level_id,
    planned_hundredths, actual_hundredths, frustrated_hundredths, missed_hundredths,
    extra_hundredths, visits_hundredths, comment, rate_pence, cost_pence, created_at,
    updated_at, updated_by, updated_by_tool)
select id, service_id, client_id, week_start, cpli_id, service_level_id,
    planned_hundredths, actual_hundredths, frustrated_hundredths, missed_hundredths,
    extra_hundredths, visits_hundredths, comment, rate_pence, cost_pence, created_at,
    updated_at, updated_by, updated_by_tool
from actual_line;
drop table actual_line;
alter table actual_line_rebuilt rename to actual_line;
create index actual_line_service_week on actual_line (service_id, week_start);

insert into actual_session_row select * from actual_session_row_kept;
drop table actual_session_row_kept;

-- one unplanned line per client, week and service level.
create unique index actual_line_unplanned
    on actual_line (service_id, client_id, week_start, service_level_id) where cpli_id is null;
