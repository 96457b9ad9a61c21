-- The audit's own records, kept apart from the ledger: who ran each audit and what it found, and the
-- signed checkpoints that anchor the hash chain. Append-only like the ledger.
create schema audit;

create table audit.runs (
    id             uuid        primary key,
    ledger         text        not null,
    started_at     timestamptz not null,
    finished_at    timestamptz not null,
    database_user  text        not null default current_user,
    principal      text        not null,
    result         text        not null check (result in ('PASSED', 'FAILED')),
    head_seq       bigint      not null check (head_seq >= 0),
    summary        jsonb       not null
);

create index runs_by_ledger on audit.runs (ledger, started_at);

-- (ledger, seq, head_hash) signed with ECDSA P-256 by a key the database never holds. The signature
-- covers only those three, so nothing stored here can be changed to fit a rewritten chain.
create table audit.checkpoints (
    id           uuid        primary key,
    ledger       text        not null,
    seq          bigint      not null check (seq >= 0),
    head_hash    bytea       not null check (length(head_hash) = 32),
    key_id       text        not null,
    signature    bytea       not null,
    signed_at    timestamptz not null,
    run_id       uuid        not null references audit.runs (id),
    recorded_by  text        not null default current_user
);

create index checkpoints_by_ledger on audit.checkpoints (ledger, seq);

create function audit.refuse_change() returns trigger
language plpgsql
as $$
begin
    raise exception 'audit.% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['runs', 'checkpoints'] loop
        execute format('create trigger %1$s_refuse_update_delete before update or delete on audit.%1$s
                        for each row execute function audit.refuse_change()', t);
        execute format('create trigger %1$s_refuse_truncate before truncate on audit.%1$s
                        for each statement execute function audit.refuse_change()', t);
    end loop;
end
$$;

-- The auditor reads the ledger and the event log and adds to its own tables; nothing else.
grant usage on schema ledger, eventlog, audit to payments_auditor;
grant select on all tables in schema ledger to payments_auditor;
grant select on eventlog.events to payments_auditor;
-- Only to tell intents the writer has applied from those still in flight.
grant select on eventlog.consumer_offsets to payments_auditor;
grant select, insert on audit.runs, audit.checkpoints to payments_auditor;
-- Ledger tables added by later migrations (run by this same owner role) are readable without a new grant.
alter default privileges in schema ledger grant select on tables to payments_auditor;
-- The services may read the audit's findings; only the auditor writes them.
grant select on audit.runs, audit.checkpoints to payments_api;
