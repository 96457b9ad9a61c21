-- The event log: one append-only table holds every topic. seq is the topic's gapless offset.
create schema eventlog;

create table eventlog.events (
    topic          text        not null,
    seq            bigint      not null check (seq > 0),
    id             uuid        not null,
    type           text        not null,
    source         text        not null,
    subject        text        not null,
    partition_key  text        not null,
    time           timestamptz not null,
    traceparent    text,
    data           jsonb       not null,
    appended_at    timestamptz not null default now(),
    primary key (topic, seq),
    unique (topic, id)
);

-- Where each consumer is in each topic. The offset only moves forward, and only inside the
-- transaction that also holds the consumer's writes.
create table eventlog.consumer_offsets (
    consumer    text        not null,
    topic       text        not null,
    "offset"    bigint      not null check ("offset" >= 0),
    updated_at  timestamptz not null default now(),
    primary key (consumer, topic)
);

-- Appends a batch to one topic. The transaction-scoped advisory lock serializes appenders of a topic
-- until they commit, which is what makes seq gapless AND visible in order: a reader that sees seq n
-- has already been able to see every seq below n. Ids the topic already holds are skipped, so a
-- re-publish of the same event is a no-op. Returns the topic's head after the append.
create function eventlog.append(
    p_topic text, p_ids uuid[], p_types text[], p_sources text[], p_subjects text[],
    p_partition_keys text[], p_times timestamptz[], p_traceparents text[], p_data jsonb[])
returns bigint
language plpgsql
as $$
declare
    head bigint;
    appended bigint;
begin
    perform pg_advisory_xact_lock(hashtextextended('eventlog.append:' || p_topic, 0));
    select coalesce(max(seq), 0) into head from eventlog.events where topic = p_topic;

    with incoming as (
        select * from unnest(p_ids, p_types, p_sources, p_subjects, p_partition_keys, p_times, p_traceparents, p_data)
            with ordinality as n(id, type, source, subject, partition_key, time, traceparent, data, ord)
    ), fresh as (
        select distinct on (i.id) i.*
        from incoming i
        where not exists (select 1 from eventlog.events e where e.topic = p_topic and e.id = i.id)
        order by i.id, i.ord
    )
    insert into eventlog.events (topic, seq, id, type, source, subject, partition_key, time, traceparent, data)
    select p_topic, head + row_number() over (order by f.ord), f.id, f.type, f.source, f.subject,
           f.partition_key, f.time, f.traceparent, f.data
    from fresh f;
    get diagnostics appended = row_count;

    if appended > 0 then
        perform pg_notify('eventlog_' || p_topic, (head + appended)::text);
    end if;
    return head + appended;
end
$$;

-- Events are immutable: no role, the owner included, may change or remove one.
create function eventlog.refuse_change() returns trigger
language plpgsql
as $$
begin
    raise exception 'eventlog.% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger events_refuse_update_delete before update or delete on eventlog.events
    for each row execute function eventlog.refuse_change();
create trigger events_refuse_truncate before truncate on eventlog.events
    for each statement execute function eventlog.refuse_change();

grant usage on schema eventlog to payments_ledger, payments_api;
grant select, insert on eventlog.events to payments_ledger, payments_api;
grant select, insert, update on eventlog.consumer_offsets to payments_ledger;
grant execute on function eventlog.append to payments_ledger, payments_api;
