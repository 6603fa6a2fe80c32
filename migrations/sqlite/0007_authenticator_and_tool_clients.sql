-- issue 4: the authenticator app (totp) as a second factor, the council's choice of second
-- factor, and client credentials for rostering and call-monitoring tools.

-- which second factor a council asks for after the password: 'digits' of the security
-- code, an 'authenticator' app, or the 'user_choice' of either (the default, because
-- digit-picking alone fails wcag 3.3.8).
alter table council add column second_factor_policy text not null default 'user_choice'
    check (second_factor_policy in ('digits', 'authenticator', 'user_choice'));

-- a person's authenticator app. the secret must be readable to check codes, so it is kept;
-- confirmed_at is null until the person proves the app works; last_step stops a code
-- being replayed within its 30 seconds.
create table authenticator (
    user_id bigint primary key references app_user (id),
    secret text not null,
    created_at text not null,
    confirmed_at text,
    last_step bigint not null default 0
);

-- one-time recovery codes for a lost authenticator, kept only as their sha-256.
create table recovery_code (
    user_id bigint not null references app_user (id),
    code_hash text not null,
    used_at text,
    primary key (user_id, code_hash)
);

-- the second factors a sign-in challenge accepts, space-separated, the suggested one
-- first: 'security_code_digits', 'authenticator'.
alter table login_challenge add column methods text not null default 'security_code_digits';

-- a tool's client credentials: for one organisation, with scopes; the secret is kept only
-- as its sha-256 (it is 256 random bits, so a slow hash adds nothing).
create table tool_client (
    id integer primary key,
    organisation_id bigint not null references organisation (id),
    name text not null,
    client_id text not null unique,
    secret_hash text not null,
    -- space-separated, e.g. 'cplis:read actuals:write'.
    scopes text not null,
    created_by bigint not null references app_user (id),
    created_at text not null,
    rotated_at text,
    revoked_at text,
    last_used_at text
);

-- changes made by a tool name the tool, as changes made by people name the person.
alter table audit_event add column actor_tool_id bigint references tool_client (id);
alter table actual_line add column updated_by_tool bigint references tool_client (id);
alter table client_week add column updated_by_tool bigint references tool_client (id);
