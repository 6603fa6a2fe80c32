-- issue 4: account lifecycle, rotating sessions, authenticator apps and tools' credentials.

-- a new account (or one reset by council staff) must choose its own password, then its
-- security code, before it reaches anything else.
alter table app_user add column must_change_password bigint not null default 0 check (must_change_password in (0, 1));
alter table app_user add column needs_security_code bigint not null default 0 check (needs_security_code in (0, 1));
-- why the account is locked: 'failures', 'inactive' (90 days unused) or 'council'.
alter table app_user add column locked_reason text;
-- contact details: an account is a contact of its organisations.
alter table app_user add column phone text not null default '';
alter table app_user add column job_title text not null default '';
-- council staff belong to a team (actions are assigned to teams).
alter table app_user add column team text not null default '';
alter table app_user add column version bigint not null default 1;
alter table app_user add column is_active bigint not null default 1 check (is_active in (0, 1));

-- one signed-in session: a family of refresh tokens, each used once. a token presented
-- twice means it was stolen, and the whole family is revoked.
create table session_family (
    id text primary key,
    user_id bigint not null references app_user (id),
    created_at text not null,
    revoked_at text,
    revoked_reason text
);

create table refresh_token (
    -- sha-256 of the token, hex: the token itself is never stored.
    token_hash text primary key,
    family_id text not null references session_family (id),
    created_at text not null,
    expires_at text not null,
    used_at text
);
create index refresh_token_family on refresh_token (family_id);

-- what a challenge waits for: 'digits' of the security code, or 'set_up' for a first
-- sign-in that must choose a new password and a security code.
alter table login_challenge add column purpose text not null default 'digits';
