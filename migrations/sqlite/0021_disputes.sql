-- disputes (domain 9): council staff dispute a client's actuals at a service for whole
-- weeks, or single lines within them, with a reason from the council's list
-- (dispute_reason). the provider responds and requests resolution; the council resolves or
-- reopens. every step is kept in dispute_event; nothing is deleted. dates are iso text,
-- timestamps rfc 3339 text (see ../README.md).

-- one dispute. it is between the council and the organisation that runs the service.
create table dispute (
    id integer primary key,
    council_id bigint not null references council (id),
    organisation_id bigint not null references organisation (id),
    service_id bigint not null references service (id),
    client_id bigint not null references client (id),
    -- the mondays of the first and last weeks disputed (both included).
    first_week text not null,
    last_week text not null,
    reason_id bigint not null references dispute_reason (id),
    details text not null,
    -- the provider's latest response, as the list shows it; each one is kept in the history.
    response text not null default '',
    status text not null default 'in_dispute'
        check (status in ('in_dispute', 'resolution_requested', 'resolved')),
    version bigint not null default 1,
    raised_at text not null,
    raised_by bigint not null references app_user (id),
    -- the time of the latest step, for the list's "Last Modified".
    updated_at text not null,
    check (first_week <= last_week)
);
create index dispute_by_organisation on dispute (organisation_id, status);
create index dispute_by_council on dispute (council_id, status);
create index dispute_by_client on dispute (client_id, first_week);

-- the single lines a dispute names, when it names some (cpli versions within its weeks);
-- a dispute without lines covers all the client's lines at the service in its weeks.
create table dispute_line (
    dispute_id bigint not null references dispute (id),
    cpli_id bigint not null references cpli (id),
    primary key (dispute_id, cpli_id)
);

-- the history: raised, then each step with the status it left and the one it set, and its
-- text (the details, a response, a comment).
create table dispute_event (
    id integer primary key,
    dispute_id bigint not null references dispute (id),
    kind text not null check (kind in ('raised', 'resolution_requested', 'resolved', 'reopened')),
    from_status text check (from_status in ('in_dispute', 'resolution_requested', 'resolved')),
    to_status text not null check (to_status in ('in_dispute', 'resolution_requested', 'resolved')),
    body text not null,
    occurred_at text not null,
    occurred_by bigint not null references app_user (id),
    -- the organisation a provider contact acted for; null for council staff.
    for_organisation_id bigint references organisation (id)
);
create index dispute_event_by_dispute on dispute_event (dispute_id, id);
