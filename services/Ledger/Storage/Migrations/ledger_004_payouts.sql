-- Which pending transfers are payouts, and to whom the rail pays them. A payout's reservation is
-- resolved only by its settlement result (or its expiry), never by a client's capture or void.
create table ledger.payouts (
    transfer_id  uuid        primary key references ledger.transfers (id),
    ledger       text        not null,
    beneficiary  text        not null check (beneficiary <> ''),
    reserved_at  timestamptz not null
);

create trigger payouts_refuse_update_delete before update or delete on ledger.payouts
    for each row execute function ledger.refuse_change();
create trigger payouts_refuse_truncate before truncate on ledger.payouts
    for each statement execute function ledger.refuse_change();

grant select, insert on ledger.payouts to payments_ledger;
grant select on ledger.payouts to payments_api;
