-- The sandbox rail's own books, standing in for the bank's: what it paid or declined per idempotency
-- key, and every call it received. They outlive Settlement's restarts, as a real bank's would.
create schema sandbox_rail;

create table sandbox_rail.payouts (
    idempotency_key    uuid        primary key,
    payment_reference  text        not null,
    amount_minor       bigint      not null check (amount_minor > 0),
    currency           char(3)     not null,
    beneficiary        text        not null,
    paid               boolean     not null,
    reference          text        not null,
    detail             text        not null,
    created_at         timestamptz not null default now()
);

create index payouts_by_payment_reference on sandbox_rail.payouts (payment_reference);

create table sandbox_rail.calls (
    id               bigint      generated always as identity primary key,
    idempotency_key  uuid        not null,
    called_at        timestamptz not null default now()
);

create index calls_by_key on sandbox_rail.calls (idempotency_key);

grant usage on schema sandbox_rail to payments_settlement;
grant select, insert on sandbox_rail.payouts, sandbox_rail.calls to payments_settlement;
