-- contract documents (domain 11): council staff publish a pdf for a service, optionally for
-- one client, with a type and a date range; the provider agrees or rejects it (a reason is
-- required), re-entering their password, and each decision is kept as a signature: who,
-- when, and the sha-256 of the very bytes they saw. council staff may terminate a document.
-- nothing is ever deleted.

-- one published document and its bytes.
create table contract_document (
    id integer primary key,
    council_id bigint not null references council (id),
    organisation_id bigint not null references organisation (id),
    service_id bigint not null references service (id),
    -- set for a document about one client (a placement agreement, say).
    client_id bigint references client (id),
    document_type text not null,
    title text not null,
    starts_on text not null,
    ends_on text,
    file_name text not null,
    content blob not null,
    size_bytes bigint not null,
    -- hex sha-256 of content, shown to the provider and recorded with each signature.
    sha256 text not null,
    status text not null default 'published'
        check (status in ('published', 'agreed', 'rejected', 'terminated')),
    version bigint not null default 1,
    published_at text not null,
    published_by bigint not null references app_user (id),
    check (ends_on is null or starts_on <= ends_on)
);
create index contract_document_by_organisation on contract_document (organisation_id, status);
create index contract_document_by_council on contract_document (council_id, status);

-- the provider's decisions, each a signature over the document's hash.
create table contract_document_signature (
    id integer primary key,
    document_id bigint not null references contract_document (id),
    decision text not null check (decision in ('agreed', 'rejected')),
    reason text not null default '',
    signed_at text not null,
    signed_by bigint not null references app_user (id),
    document_sha256 text not null
);
create index contract_document_signature_by_document on contract_document_signature (document_id, id);
