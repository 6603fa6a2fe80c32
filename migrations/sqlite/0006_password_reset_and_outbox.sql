-- issue 4: "forgot password" e-mails a single-use, time-limited link; mail goes out by
-- smtp, or, where none is configured (the demo), waits in the outbox for the demo to show.

-- a reset link's token, kept only as its sha-256.
create table password_reset (
    token_hash text primary key,
    user_id bigint not null references app_user (id),
    created_at text not null,
    expires_at text not null,
    used_at text
);

-- every e-mail the portal sends, and whether smtp took it.
create table outbox_mail (
    id integer primary key,
    to_address text not null,
    subject text not null,
    body text not null,
    created_at text not null,
    sent_at text
);
