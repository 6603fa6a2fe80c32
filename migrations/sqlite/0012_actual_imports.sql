-- bulk csv import of actuals (domain 4.8). an upload is checked line by line and
-- kept as a preview; nothing reaches actual_line until the provider presses "update
-- system", which writes every valid line in one transaction and marks the import
-- committed. a file is known by its reference (the file name) and by the sha-256 of its
-- content: neither may be committed twice in one organisation.
create table actual_import (
    id integer primary key,
    organisation_id bigint not null references organisation (id),
    service_id bigint not null references service (id),
    reference text not null,
    -- lowercase hex.
    content_sha256 text not null,
    status text not null default 'previewed' check (status in ('previewed', 'committed')),
    -- who uploaded it: a person or a tool.
    created_by bigint references app_user (id),
    created_by_tool bigint references tool_client (id),
    created_at text not null,
    committed_by bigint references app_user (id),
    committed_by_tool bigint references tool_client (id),
    committed_at text,
    -- how many lines the commit wrote.
    written_lines bigint
);
-- the once-only rule, kept by the database so that two commits racing cannot both win.
create unique index actual_import_committed_reference on actual_import (organisation_id, reference)
    where status = 'committed';
create unique index actual_import_committed_content on actual_import (organisation_id, content_sha256)
    where status = 'committed';

-- each line of the file as it was read (values as text, since a bad one is kept too) and
-- what the last check made of it. line_number is the line in the file; the header is 1.
create table actual_import_line (
    import_id bigint not null references actual_import (id),
    line_number bigint not null,
    cpli_id text not null,
    week_start text not null,
    ssref text not null,
    -- the line's figures as json: cpli_id, actual, frustrated, missed, extra, visits, comment.
    input text not null,
    -- faults of the file itself (a line with too many columns): json [{field, message}].
    file_errors text not null,
    status text not null check (status in ('valid', 'invalid')),
    -- the client the cpli names, as the check found it ('' when none).
    client text not null,
    -- json [{field, message}], each naming the file's column.
    errors text not null,
    -- json [{field, message}]: exceptions that warn, never block (does not add up).
    warnings text not null,
    primary key (import_id, line_number)
);
