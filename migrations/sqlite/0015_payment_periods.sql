-- issue 6: payment periods and scheduled payments (domain 5).

-- one row per contract and period, created as time passes (the first read of a contract's
-- periods after a period starts creates it). the provider confirms or rejects it; council
-- staff authorise it and then finalise it (the payment run).
create table payment_period (
    id integer primary key,
    contract_id bigint not null references contract (id),
    starts_on text not null,
    ends_on text not null,
    provider_status text not null default 'unconfirmed'
        check (provider_status in ('unconfirmed', 'confirmed', 'rejected')),
    provider_comment text not null default '',
    provider_answered_at text,
    provider_answered_by bigint references app_user (id),
    status text not null default 'open' check (status in ('open', 'authorised', 'finalised')),
    authorised_at text,
    authorised_by bigint references app_user (id),
    finalised_at text,
    finalised_by bigint references app_user (id),
    version bigint not null default 1,
    unique (contract_id, starts_on)
);

-- a council decision (pay or cancel) or a provider's dispute on one scheduled line, named
-- by the line's key (e.g. "cpli/1564/adjustment"). a newer word on the same line supersedes
-- the older one, which is kept.
create table payment_line_decision (
    id integer primary key,
    period_id bigint not null references payment_period (id),
    line_key text not null,
    decision text not null check (decision in ('pay', 'cancel', 'disputed')),
    reason text not null default '',
    decided_at text not null,
    decided_by bigint references app_user (id),
    superseded_at text
);
create index payment_line_decision_by_period on payment_line_decision (period_id, line_key);

-- what a finalised period paid or held back, per client, line and week: the remittance
-- advice, spend to date, and the base for adjustments to weeks amended afterwards. a one-off
-- claim for the provider itself has no client and no service level.
create table payment_line (
    id integer primary key,
    period_id bigint not null references payment_period (id),
    client_id bigint references client (id),
    cpli_id bigint references cpli (id),
    service_level_id bigint references service_level (id),
    week_start text not null,
    kind text not null check (kind in ('cost', 'adjustment')),
    line_key text not null,
    description text not null,
    amount_pence bigint not null,
    vat_pence bigint not null,
    status text not null check (status in ('pay', 'suspend', 'cancel', 'carry_forward')),
    reason text not null default ''
);
create index payment_line_by_period on payment_line (period_id);
create index payment_line_by_cpli_week on payment_line (cpli_id, week_start);
create index payment_line_by_client_week on payment_line (client_id, week_start);
