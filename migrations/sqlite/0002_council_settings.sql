-- what each council configures (domain 14a): contact details, the submission deadline,
-- bank holidays, action types, dispute reasons and vat rates.

-- shown to providers; the version guards edits from two council staff at once.
alter table council add column contact_email text not null default '';
alter table council add column contact_phone text not null default '';
alter table council add column contact_address text not null default '';
-- a week's actuals are due on this weekday (1 = monday .. 7 = sunday) of the following week,
-- by this time of day (hh:mm, uk time); later ones are "aged".
alter table council add column submission_deadline_weekday bigint not null default 2;
alter table council add column submission_deadline_time text not null default '17:00';
alter table council add column version bigint not null default 1;

-- days that are not working days, for due dates counted in working days.
create table bank_holiday (
    council_id bigint not null references council (id),
    holiday_date text not null,
    name text not null,
    primary key (council_id, holiday_date)
);

-- the kinds of conversation a provider or the council may start (domain 10).
create table action_type (
    id integer primary key,
    council_id bigint not null references council (id),
    name text not null,
    -- the council team it goes to; null when the raiser chooses.
    team text,
    -- comma-separated entity kinds: client,contract,service,organisation,invoice,...
    entity_kinds text not null,
    minimum_due_working_days bigint not null default 0,
    council_only bigint not null default 0 check (council_only in (0, 1)),
    is_active bigint not null default 1 check (is_active in (0, 1)),
    unique (council_id, name)
);

-- why the council disputes actuals (domain 9).
create table dispute_reason (
    id integer primary key,
    council_id bigint not null references council (id),
    name text not null,
    is_active bigint not null default 1 check (is_active in (0, 1)),
    unique (council_id, name)
);

-- vat rates by name, each from a date; basis points (2000 is 20.00%).
create table vat_rate (
    id integer primary key,
    council_id bigint not null references council (id),
    name text not null,
    rate_basis_points bigint not null check (rate_basis_points >= 0),
    effective_from text not null,
    unique (council_id, name, effective_from)
);
