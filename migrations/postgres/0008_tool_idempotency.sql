-- issue 5: rostering tools submit batches of client-weeks with an idempotency-key, as
-- people's systems do: the first answer to a key is kept, per tool, and replayed.
create table tool_idempotency_key (
    tool_client_id bigint not null references tool_client (id),
    idempotency_key text not null,
    request_hash text not null,
    response_status bigint not null,
    response_body text not null,
    created_at text not null,
    primary key (tool_client_id, idempotency_key)
);
