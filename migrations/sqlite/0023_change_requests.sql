-- change requests (domain 10): providers never edit their organisation's, services' or
-- contacts' details directly. an edit, a new contact, or a role added or removed is asked
-- for here; council staff approve it (and the change is applied, in the same transaction)
-- or reject it with a reason. nothing is deleted. timestamps are rfc 3339 text (see
-- ../README.md).

create table change_request (
    id integer primary key,
    council_id bigint not null references council (id),
    -- the organisation the requester acted for; the target is always one of its own.
    organisation_id bigint not null references organisation (id),
    kind text not null check (kind in ('update_organisation', 'update_service',
        'update_contact', 'new_contact', 'add_role', 'remove_role')),
    -- the organisation, service or contact (app_user) the request is about; null for a new
    -- contact until its approval creates the account.
    target_id bigint,
    -- the entity's name when asked ("entity name" in the list); empty for a new contact.
    entity_name text not null default '',
    -- what would change, as json: {"field": {"old": "...", "new": "..."}}, only the fields
    -- that differ from the record as it stood when asked.
    changes text not null,
    status text not null default 'pending_review'
        check (status in ('pending_review', 'approved', 'rejected')),
    requested_by bigint not null references app_user (id),
    requested_at text not null,
    decided_by bigint references app_user (id),
    decided_at text,
    -- required when rejected; empty otherwise.
    rejection_reason text not null default '',
    version bigint not null default 1
);
create index change_request_by_organisation on change_request (organisation_id, status);
create index change_request_by_council on change_request (council_id, status);
