-- reference data maintained by councils and their systems: optimistic versions on edits,
-- care package versions, dated rates, external references and idempotent batches.

-- the council that registered an organisation; its staff maintain it.
alter table organisation add column council_id bigint references council (id);
update organisation set council_id = (select min(c.council_id) from contract c where c.organisation_id = organisation.id);
alter table organisation add column version bigint not null default 1;
alter table service add column version bigint not null default 1;
alter table contract add column version bigint not null default 1;
alter table service_level add column version bigint not null default 1;
alter table service_level add column is_active bigint not null default 1 check (is_active in (0, 1));

-- clients as the council's case-management system knows them.
alter table client add column external_ref text;
alter table client add column version bigint not null default 1;
alter table client add column is_active bigint not null default 1 check (is_active in (0, 1));
create unique index client_external_ref on client (council_id, external_ref) where external_ref is not null;

-- a care package changes by a new version from a date, never by an edit of its history.
-- every version is a cpli row; lineage_id is the cpli id people see (its first version's id).
alter table cpli add column lineage_id bigint references cpli (id);
update cpli set lineage_id = id;
alter table cpli add column version_number bigint not null default 1;
alter table cpli add column external_ref text;
alter table cpli add column created_at text not null default '';
create unique index cpli_lineage on cpli (lineage_id, version_number);
create index cpli_external_ref on cpli (service_id, external_ref);

-- a service level's rate, each from a date; a change makes new versions of its cplis.
create table service_level_rate (
    service_level_id bigint not null references service_level (id),
    effective_from text not null,
    rate_pence bigint not null check (rate_pence >= 0),
    primary key (service_level_id, effective_from)
);
insert into service_level_rate (service_level_id, effective_from, rate_pence)
    select id, '2000-01-01', rate_pence from service_level;

-- a batch answered once per key: a retry with the same key and body gets the same answer.
create table idempotency_key (
    caller_user_id bigint not null references app_user (id),
    idempotency_key text not null,
    request_hash text not null,
    response_status bigint not null,
    response_body text not null,
    created_at text not null,
    primary key (caller_user_id, idempotency_key)
);
