-- Every clock tick the writer applied. A tick delivered again (a replay from offset zero, a re-publish)
-- is then recognised like any recorded intent and expires nothing a second time: otherwise it could
-- expire a hold at a different point in the chain than the first delivery did.
create table ledger.clock_ticks (
    event_id  uuid        primary key,
    ledger    text        not null,
    now       timestamptz not null
);

create trigger clock_ticks_refuse_update_delete before update or delete on ledger.clock_ticks
    for each row execute function ledger.refuse_change();
create trigger clock_ticks_refuse_truncate before truncate on ledger.clock_ticks
    for each statement execute function ledger.refuse_change();

grant select, insert on ledger.clock_ticks to payments_ledger;
grant select on ledger.clock_ticks to payments_api;
