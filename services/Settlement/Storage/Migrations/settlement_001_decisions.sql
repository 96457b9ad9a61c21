-- What Settlement decided for each payout, recorded before the result is published. A FundsReserved
-- delivered again (at-least-once delivery, a relay repeating a batch, a crash before the position was
-- saved) is answered from here: once a failure has gone out, the ledger gives the money back, so the
-- rail must not be called again for that payout. Rows are inserted once and never changed.
create schema settlement;

create table settlement.decisions (
    payment_id   uuid        primary key,
    ledger       text        not null,
    paid         boolean     not null,
    result       bytea       not null,
    decided_at   timestamptz not null default now()
);

grant usage on schema settlement to payments_settlement;
grant select, insert on settlement.decisions to payments_settlement;
