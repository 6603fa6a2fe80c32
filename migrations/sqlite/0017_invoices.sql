-- invoices and credit notes (domain 6) for contracts paid "invoiced, pay on actuals".
-- money is pence (negative on a credit note's items), dates iso text (see ../README.md).

-- one invoice or credit note of an organisation to a council. nothing is ever deleted:
-- deleting is the status 'deleted'. the provider's reference is unique per organisation
-- among invoices not deleted.
create table invoice (
    id integer primary key,
    organisation_id bigint not null references organisation (id),
    council_id bigint not null references council (id),
    kind text not null check (kind in ('invoice', 'credit_note')),
    -- the invoice a credit note credits, when it credits one.
    credit_of_invoice_id bigint references invoice (id),
    -- what the provider asked for: the whole organisation, a contract, a service or a client.
    scope_kind text not null check (scope_kind in ('organisation', 'contract', 'service', 'client')),
    scope_contract_id bigint references contract (id),
    scope_service_id bigint references service (id),
    scope_client_id bigint references client (id),
    period_start text not null,
    period_end text not null,
    reference text not null,
    date_on_invoice text not null,
    created_on text not null,
    entered_ex_vat_pence bigint not null,
    entered_vat_pence bigint not null,
    status text not null default 'unsubmitted' check (status in
        ('unsubmitted', 'pending', 'authorised', 'finalised', 'on_hold', 'returned', 'deleted')),
    -- the council's reason for the last hold or return, shown to the provider.
    status_reason text not null default '',
    submitted_at text,
    version bigint not null default 1,
    created_at text not null,
    created_by bigint references app_user (id),
    updated_at text not null
);
create unique index invoice_reference on invoice (organisation_id, reference) where status <> 'deleted';
create index invoice_by_council on invoice (council_id, status);

-- one commitment on an invoice: a client's care at a service in one financial year, over
-- the invoice's period. a removed item is kept, not included, so it can be re-added.
create table invoice_item (
    id integer primary key,
    invoice_id bigint not null references invoice (id),
    contract_id bigint not null references contract (id),
    service_id bigint not null references service (id),
    client_id bigint not null references client (id),
    -- the year the financial year starts in: 2022 is 2022/2023.
    financial_year bigint not null,
    description text not null,
    period_start text not null,
    period_end text not null,
    value_pence bigint not null,
    vat_pence bigint not null,
    contribution_pence bigint not null default 0,
    is_included bigint not null default 1 check (is_included in (0, 1)),
    unique (invoice_id, service_id, client_id, financial_year)
);
create index invoice_item_by_service on invoice_item (service_id, period_start);

-- the optional supporting vat invoice (pdf or image), checked against its declared type.
-- a newer file supersedes the older, which is kept.
create table invoice_attachment (
    id integer primary key,
    invoice_id bigint not null references invoice (id),
    file_name text not null,
    content_type text not null,
    content blob not null,
    size_bytes bigint not null,
    uploaded_at text not null,
    uploaded_by bigint references app_user (id),
    superseded_at text
);
create index invoice_attachment_by_invoice on invoice_attachment (invoice_id);
