-- the walking skeleton: reference data, people, and a week of actuals.
-- money is pence, quantities are hundredths, dates are iso text (see ../README.md).

-- the local authorities that commission care through this deployment.
create table council (
    id integer primary key,
    name text not null unique,
    -- days after a period is finalised during which its actuals may still be amended.
    amendment_window_days bigint not null default 14
);

-- a provider's head office.
create table organisation (
    id integer primary key,
    name text not null,
    address_line1 text not null default '',
    town text not null default '',
    postcode text not null default '',
    email text not null default '',
    phone text not null default '',
    is_active bigint not null default 1 check (is_active in (0, 1))
);

-- an agreement between a council and an organisation; it owns prices and exception rules.
create table contract (
    id integer primary key,
    council_id bigint not null references council (id),
    organisation_id bigint not null references organisation (id),
    name text not null,
    contract_type_group text not null,
    payment_model text not null check (payment_model in ('scheduled', 'invoiced')),
    period_weeks bigint not null check (period_weeks in (1, 2, 4)),
    period_anchor text not null,
    -- basis points: 2000 is 20.00%.
    vat_rate_basis_points bigint not null default 0,
    is_active bigint not null default 1 check (is_active in (0, 1))
);

-- per contract and exception type: on or off, threshold and payment effect (domain 4.6).
create table contract_exception_rule (
    contract_id bigint not null references contract (id),
    kind text not null,
    enabled bigint not null check (enabled in (0, 1)),
    threshold_hundredths bigint not null default 0,
    effect text not null check (effect in ('pay', 'suspend')),
    primary key (contract_id, kind)
);

-- a site of an organisation; actuals are entered per service.
create table service (
    id integer primary key,
    organisation_id bigint not null references organisation (id),
    contract_id bigint not null references contract (id),
    name text not null,
    address_line1 text not null default '',
    town text not null default '',
    postcode text not null default '',
    is_active bigint not null default 1 check (is_active in (0, 1))
);

-- a priced kind of care.
create table service_level (
    id integer primary key,
    contract_id bigint not null references contract (id),
    name text not null,
    unit text not null check (unit in ('hour', 'session', 'night')),
    pricing_kind text not null check (pricing_kind in ('per_unit', 'timetabled', 'intermittent')),
    rate_pence bigint not null check (rate_pence >= 0),
    service_group_class text not null default '',
    cost_centre text not null default '',
    subjective text not null default ''
);

-- a person receiving care, known to the council by a social-care reference.
create table client (
    id integer primary key,
    council_id bigint not null references council (id),
    ssref text not null,
    title text not null default '',
    forename text not null,
    surname text not null,
    unique (council_id, ssref)
);

-- a care package line item: one service for one client over a span of dates.
create table cpli (
    id integer primary key,
    client_id bigint not null references client (id),
    service_id bigint not null references service (id),
    service_level_id bigint not null references service_level (id),
    start_date text not null,
    end_date text,
    -- exactly one plan applies, by the service level's pricing kind; a timetable has rows.
    weekly_quantity_hundredths bigint,
    annual_allocation_hundredths bigint,
    planned_visits_hundredths bigint not null default 0,
    rate_pence bigint not null check (rate_pence >= 0),
    budget_code text not null default '',
    care_package_ref text not null default '',
    is_authorised bigint not null default 1 check (is_authorised in (0, 1))
);
create index cpli_service_dates on cpli (service_id, start_date);

-- the sessions of a timetabled cpli: a quantity on each ticked weekday ('1010100').
create table cpli_timetable_row (
    id integer primary key,
    cpli_id bigint not null references cpli (id),
    weekdays text not null check (length(weekdays) = 7),
    quantity_hundredths bigint not null
);

-- people who sign in: provider contacts and council staff.
create table app_user (
    id integer primary key,
    email text not null unique,
    name text not null,
    kind text not null check (kind in ('provider', 'council')),
    council_id bigint references council (id),
    -- argon2id, phc string.
    password_hash text not null,
    failed_attempts bigint not null default 0,
    is_locked bigint not null default 0 check (is_locked in (0, 1)),
    last_sign_in_at text,
    created_at text not null
);

-- which organisations a provider contact acts for, and in what role.
create table user_organisation (
    user_id bigint not null references app_user (id),
    organisation_id bigint not null references organisation (id),
    role text not null check (role in ('finance', 'manager', 'administration')),
    primary key (user_id, organisation_id)
);

-- the security code is never stored: one argon2id hash per set of three positions.
create table security_code_hash (
    user_id bigint not null references app_user (id),
    positions text not null,
    hash text not null,
    primary key (user_id, positions)
);

-- a password check that passed, waiting for the digits the server asked for.
create table login_challenge (
    id text primary key,
    user_id bigint not null references app_user (id),
    positions text not null,
    created_at text not null,
    expires_at text not null,
    used_at text
);

-- one client's week at one service: the unit of optimistic concurrency.
create table client_week (
    service_id bigint not null references service (id),
    client_id bigint not null references client (id),
    week_start text not null,
    version bigint not null,
    updated_at text not null,
    updated_by bigint references app_user (id),
    primary key (service_id, client_id, week_start)
);

-- what was delivered against one cpli in one week. cost_pence is the domain's rounded cost,
-- kept so that sums in sql are exact.
create table actual_line (
    id integer primary key,
    service_id bigint not null references service (id),
    client_id bigint not null references client (id),
    week_start text not null,
    cpli_id bigint not null references cpli (id),
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
    unique (cpli_id, week_start)
);
create index actual_line_service_week on actual_line (service_id, week_start);

-- every change and every sign-in, for ever.
create table audit_event (
    id integer primary key,
    occurred_at text not null,
    actor_user_id bigint references app_user (id),
    action text not null,
    entity_kind text not null,
    entity_id text not null,
    -- json: old and new values where there are any.
    detail text not null default '{}',
    source_ip text
);
create index audit_event_entity on audit_event (entity_kind, entity_id);
