-- actions (domain 10): conversations between a provider and the council about one entity,
-- of a type the council configures (action_type), with a due date counted in working days
-- and a thread of posts. dates are iso text, timestamps rfc 3339 text (see ../README.md).

-- one action. it is between the council and one organisation, about one entity of the
-- kind named: a client, contract, service, organisation (and later invoices, credit notes,
-- contacts, spot commitments). it is assigned to a council team or to the provider.
create table action (
    id integer primary key,
    council_id bigint not null references council (id),
    organisation_id bigint not null references organisation (id),
    action_type_id bigint not null references action_type (id),
    related_kind text not null check (related_kind in ('client', 'contract', 'service', 'organisation',
        'invoice', 'credit_note', 'contact', 'spot_commitment')),
    -- the id of the entity of that kind; checked against the caller's scope when raised.
    related_id bigint not null,
    title text not null,
    due_on text not null,
    -- 1 when the provider is to answer next; else assigned_team names the council team.
    assigned_to_provider bigint not null default 0 check (assigned_to_provider in (0, 1)),
    assigned_team text,
    status text not null default 'open' check (status in ('open', 'closure_requested', 'closed')),
    version bigint not null default 1,
    created_at text not null,
    created_by bigint not null references app_user (id),
    -- the time of the newest post, for the list's "Last Post Date".
    last_post_at text not null,
    closed_at text,
    closed_by bigint references app_user (id),
    check ((assigned_to_provider = 1 and assigned_team is null) or (assigned_to_provider = 0 and assigned_team is not null))
);
create index action_by_organisation on action (organisation_id, status);
create index action_by_council on action (council_id, status);
create index action_by_related on action (related_kind, related_id);

-- the thread: the opening text is the first post. a post may reassign the action or move
-- its due date, and records the assignment and due date it set (null when unchanged).
create table action_post (
    id integer primary key,
    action_id bigint not null references action (id),
    -- 'opened' for the first post; later 'comment', 'reply', 'closure_request', 'closed'.
    kind text not null check (kind in ('opened', 'comment', 'reply', 'closure_request', 'closed')),
    body text not null,
    posted_at text not null,
    posted_by bigint not null references app_user (id),
    -- the organisation a provider contact wrote for; null for council staff.
    posted_for_organisation_id bigint references organisation (id),
    assigned_to_provider bigint check (assigned_to_provider in (0, 1)),
    assigned_team text,
    due_on text
);
create index action_post_by_action on action_post (action_id, id);
