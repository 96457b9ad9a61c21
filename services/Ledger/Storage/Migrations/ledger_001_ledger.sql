-- The double-entry ledger. Every table is append-only: rows are inserted, never updated or deleted,
-- and corrections are new, compensating rows. Balances are read from the latest entry of an account.
create schema ledger;

create table ledger.accounts (
    id                              uuid        primary key,
    ledger                          text        not null,
    currency                        char(3)     not null check (currency ~ '^[A-Z]{3}$'),
    owner                           text        not null check (owner <> ''),
    debits_must_not_exceed_credits  boolean     not null,
    credits_must_not_exceed_debits  boolean     not null,
    opened_by_event                 uuid        not null unique,
    opened_at                       timestamptz not null,
    check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits))
);

create table ledger.transfers (
    id                 uuid        primary key,
    ledger             text        not null,
    seq                bigint      not null check (seq > 0),
    debit_account_id   uuid        not null references ledger.accounts (id),
    credit_account_id  uuid        not null references ledger.accounts (id),
    amount_minor       bigint      not null check (amount_minor > 0),
    currency           char(3)     not null,
    kind               text        not null check (kind in ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING', 'REVERSAL')),
    event_id           uuid        not null unique,
    trace_id           text,
    principal          text        not null,
    created_at         timestamptz not null,
    prev_hash          bytea       not null check (length(prev_hash) = 32),
    hash               bytea       not null check (length(hash) = 32),
    unique (ledger, seq),
    check (debit_account_id <> credit_account_id)
);

create table ledger.entries (
    account_id       uuid        not null references ledger.accounts (id),
    account_seq      bigint      not null check (account_seq > 0),
    transfer_id      uuid        not null references ledger.transfers (id),
    ledger           text        not null,
    ledger_seq       bigint      not null,
    direction        char(1)     not null check (direction in ('D', 'C')),
    amount_minor     bigint      not null check (amount_minor > 0),
    currency         char(3)     not null,
    debits_posted    bigint      not null check (debits_posted >= 0),
    credits_posted   bigint      not null check (credits_posted >= 0),
    debits_pending   bigint      not null check (debits_pending >= 0),
    credits_pending  bigint      not null check (credits_pending >= 0),
    created_at       timestamptz not null,
    primary key (account_id, account_seq),
    unique (transfer_id, direction)
);

create index entries_by_ledger_seq on ledger.entries (ledger, ledger_seq);

-- Every intent that did not post, with its result code: every intent has exactly one outcome.
create table ledger.rejections (
    intent_id    uuid        primary key,
    event_id     uuid        not null unique,
    intent_type  text        not null,
    ledger       text        not null,
    code         text        not null,
    principal    text        not null,
    trace_id     text,
    intent       jsonb       not null,
    rejected_at  timestamptz not null
);

-- Append-only, enforced by the database for every role, the owner included. (A superuser can still
-- disable triggers; the hash chain and the audit's signed checkpoints are what catch that.)
create function ledger.refuse_change() returns trigger
language plpgsql
as $$
begin
    raise exception 'ledger.% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['accounts', 'transfers', 'entries', 'rejections'] loop
        execute format('create trigger %1$s_refuse_update_delete before update or delete on ledger.%1$s
                        for each row execute function ledger.refuse_change()', t);
        execute format('create trigger %1$s_refuse_truncate before truncate on ledger.%1$s
                        for each statement execute function ledger.refuse_change()', t);
    end loop;
end
$$;

-- Least privilege: the writer may only add and read; the API may only read.
grant usage on schema ledger to payments_ledger, payments_api;
grant select, insert on all tables in schema ledger to payments_ledger;
grant select on all tables in schema ledger to payments_api;
