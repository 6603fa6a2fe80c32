-- issue 7 (domain 13): e-mail notifications and webhooks. an event writes what it owes
-- people and integrators in its own transaction: immediate mails and webhook calls go
-- straight into the outbox, daily topics into digest_item for the daily digest. a
-- background worker, on any number of server instances, delivers the outbox with retries.

-- a council's webhook: events of the kinds listed are posted to the url as json, signed
-- with hmac-sha-256 under the secret (shown to council staff once, when made). disabled,
-- never deleted, so past deliveries still name it.
create table webhook_endpoint (
    id integer primary key,
    council_id bigint not null references council (id),
    url text not null,
    secret text not null,
    -- comma-separated event types (portal_domain::notification::WebhookEvent).
    events text not null,
    is_active bigint not null default 1 check (is_active in (0, 1)),
    created_by bigint not null references app_user (id),
    created_at text not null,
    version bigint not null default 1
);

-- the outbox now carries webhook calls too, so it loses "_mail" from its name.
alter table outbox_mail rename to outbox;

-- 'mail' (to_address is a mailbox) or 'webhook' (to_address is the url, subject the
-- event type, body the json payload).
alter table outbox add column channel text not null default 'mail'
    check (channel in ('mail', 'webhook'));
-- the webhook whose secret signs the call; null for mail.
alter table outbox add column webhook_id bigint references webhook_endpoint (id);
-- delivery bookkeeping. times here are unix seconds, compared in sql.
alter table outbox add column attempts bigint not null default 0;
-- not before this time (a retry's back-off); null: at once.
alter table outbox add column next_attempt_at bigint;
-- a worker holds the row until then; after it (the worker died) another may take it.
alter table outbox add column claimed_until bigint;
alter table outbox add column last_error text;
-- set when the retries ran out: the row stays, for people to see, and is not tried again.
alter table outbox add column failed_at text;

create index outbox_due on outbox (sent_at, failed_at, next_attempt_at);

-- who gets which notifications: one row per person, organisation and topic they chose
-- (the topic codes are portal_domain::notification::Topic).
create table notification_subscription (
    user_id bigint not null references app_user (id),
    organisation_id bigint not null references organisation (id),
    topic text not null,
    primary key (user_id, organisation_id, topic)
);

-- an event owed to a person's daily digest; mail_id is set when a digest mail took it.
create table digest_item (
    id integer primary key,
    user_id bigint not null references app_user (id),
    organisation_id bigint not null references organisation (id),
    topic text not null,
    summary text not null,
    -- a path in the spa, e.g. /disputes/12
    link text not null,
    created_at text not null,
    mail_id bigint references outbox (id)
);

create index digest_item_waiting on digest_item (mail_id, user_id);

-- the day (iso date) a digest run took place: the primary key makes one run a day, however
-- many instances try.
create table digest_run (
    day text primary key,
    ran_at text not null
);
