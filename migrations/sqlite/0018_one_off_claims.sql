-- one-off claims (domain 8): claims outside the care plan under one of the provider's
-- contracts, for a client (client item) or for the provider itself (provider item, no
-- client). money is pence, dates iso text, timestamps rfc 3339 text (see ../README.md).

-- one claim, submitted to the council at once and decided once: approved or rejected with a
-- reason. an approved claim is paid by the contract's next payment period; that it was paid
-- is read from payment_line (line_key 'claim/<id>'), never stored here.
create table one_off_claim (
    id integer primary key,
    organisation_id bigint not null references organisation (id),
    council_id bigint not null references council (id),
    contract_id bigint not null references contract (id),
    -- set for a client item, null for a provider item.
    client_id bigint references client (id),
    description text not null,
    claim_date text not null,
    amount_pence bigint not null check (amount_pence > 0),
    vat_pence bigint not null check (vat_pence >= 0),
    status text not null default 'submitted' check (status in ('submitted', 'approved', 'rejected')),
    -- the council's reason for a rejection, shown to the provider.
    reason text not null default '',
    version bigint not null default 1,
    submitted_at text not null,
    submitted_by bigint references app_user (id),
    decided_at text,
    decided_by bigint references app_user (id)
);
create index one_off_claim_by_contract on one_off_claim (contract_id, status);
create index one_off_claim_by_council on one_off_claim (council_id, status);
create index one_off_claim_by_organisation on one_off_claim (organisation_id, status);

-- the claim's evidence (pdf, png or jpeg, at most 5 mb), checked against its declared type
-- by its first bytes. one per claim, kept with it.
create table one_off_claim_evidence (
    claim_id bigint primary key references one_off_claim (id),
    file_name text not null,
    content_type text not null,
    content blob not null,
    size_bytes bigint not null
);
