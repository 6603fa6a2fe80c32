-- issue 5: council staff lock a service's week; a locked week refuses every change to its
-- actuals (409, saying why) until they unlock it. locking and unlocking are audited.
create table week_lock (
    service_id bigint not null references service (id),
    week_start text not null,
    reason text not null,
    locked_at text not null,
    locked_by bigint references app_user (id),
    primary key (service_id, week_start)
);
