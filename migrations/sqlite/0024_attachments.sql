-- attachments (issue 7): files attached to an action (optionally to one of its posts) or to
-- a dispute (optionally to one step of its history, a response say). the server checks each
-- file's type, size and content before it gets here. the bytes live either in this table
-- (content) or in the server's file directory under storage_key (a random name, never the
-- uploader's file name); exactly one of the two is set. who may download one is who may see
-- its action or dispute. nothing is ever deleted.
create table attachment (
    id integer primary key,
    -- exactly one parent: an action or a dispute.
    action_id bigint references action (id),
    -- set when the file belongs to one post of the action's thread.
    action_post_id bigint references action_post (id),
    dispute_id bigint references dispute (id),
    -- set when the file belongs to one step of the dispute's history.
    dispute_event_id bigint references dispute_event (id),
    -- tidied (no path, no quotes); shown and offered back on download.
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    -- hex sha-256 of the bytes, checked again when read from the directory.
    sha256 text not null,
    content blob,
    storage_key text,
    uploaded_at text not null,
    uploaded_by bigint not null references app_user (id),
    -- the organisation a provider contact uploaded for; null for council staff.
    uploaded_for_organisation_id bigint references organisation (id),
    check ((action_id is null) <> (dispute_id is null)),
    check (action_post_id is null or action_id is not null),
    check (dispute_event_id is null or dispute_id is not null),
    check ((content is null) <> (storage_key is null))
);
create index attachment_by_action on attachment (action_id, id);
create index attachment_by_dispute on attachment (dispute_id, id);
