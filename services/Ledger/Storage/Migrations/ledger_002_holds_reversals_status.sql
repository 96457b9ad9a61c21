-- Two-phase transfers, reversals and account status, all as new rows.

alter table ledger.transfers
    add column pending_id   uuid references ledger.transfers (id),
    add column reversal_of  uuid references ledger.transfers (id),
    add column expires_at   timestamptz,
    add column expired      boolean not null default false,
    add check ((kind = 'PENDING') = (expires_at is not null)),
    add check ((kind in ('POST_PENDING', 'VOID_PENDING')) = (pending_id is not null)),
    add check ((kind = 'REVERSAL') = (reversal_of is not null)),
    add check (not expired or kind = 'VOID_PENDING');

-- One clock tick may expire many holds, so several transfers can share a causing event.
alter table ledger.transfers drop constraint transfers_event_id_key;
create index transfers_by_event on ledger.transfers (event_id);

-- A hold is resolved at most once: by one post, one void or its expiry.
create unique index transfers_one_resolution_per_hold on ledger.transfers (pending_id) where pending_id is not null;
create index transfers_by_reversal_of on ledger.transfers (reversal_of) where reversal_of is not null;
create index transfers_holds_by_expiry on ledger.transfers (ledger, expires_at) where kind = 'PENDING';

-- Account lifecycle: each change is a new row; the latest one per account is its status.
create table ledger.account_events (
    change_id    uuid        primary key,
    account_id   uuid        not null references ledger.accounts (id),
    status_seq   bigint      not null check (status_seq > 0),
    ledger       text        not null,
    status       text        not null check (status in ('ACTIVE', 'FROZEN', 'CLOSED')),
    event_id     uuid        not null unique,
    principal    text        not null,
    changed_at   timestamptz not null,
    unique (account_id, status_seq)
);

create trigger account_events_refuse_update_delete before update or delete on ledger.account_events
    for each row execute function ledger.refuse_change();
create trigger account_events_refuse_truncate before truncate on ledger.account_events
    for each statement execute function ledger.refuse_change();

grant select, insert on ledger.account_events to payments_ledger;
grant select on ledger.account_events to payments_api;
