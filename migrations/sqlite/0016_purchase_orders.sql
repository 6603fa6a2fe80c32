-- issue 7: purchase orders (domain 7).

-- one row per client, service and financial year, made the first time the po is listed.
-- it only fixes the po's number (its id, the n of "n - v"): the po's lines, value, versions
-- and spend are computed from the cpli versions and the finalised payment lines, so they can
-- never disagree with them.
create table purchase_order (
    id integer primary key,
    client_id bigint not null references client (id),
    service_id bigint not null references service (id),
    -- the year the financial year starts in: 2022 for 2022/2023.
    financial_year bigint not null,
    created_at text not null,
    unique (client_id, service_id, financial_year)
);
create index purchase_order_by_year on purchase_order (financial_year, service_id);
