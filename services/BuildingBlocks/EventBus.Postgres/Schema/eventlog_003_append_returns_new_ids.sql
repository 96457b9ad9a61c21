-- eventlog.append now returns the ids it actually appended, so a publisher can tell a first publish
-- from a re-publish without reading the log back. Same locking, numbering and notification as before.
drop function eventlog.append(text, uuid[], text[], text[], text[], text[], timestamptz[], text[], jsonb[]);

create function eventlog.append(
    p_topic text, p_ids uuid[], p_types text[], p_sources text[], p_subjects text[],
    p_partition_keys text[], p_times timestamptz[], p_traceparents text[], p_data jsonb[])
returns uuid[]
language plpgsql
as $$
declare
    head bigint;
    appended uuid[];
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
    ), inserted as (
        insert into eventlog.events (topic, seq, id, type, source, subject, partition_key, time, traceparent, data)
        select p_topic, head + row_number() over (order by f.ord), f.id, f.type, f.source, f.subject,
               f.partition_key, f.time, f.traceparent, f.data
        from fresh f
        returning id
    )
    select coalesce(array_agg(id), '{}') into appended from inserted;

    if cardinality(appended) > 0 then
        perform pg_notify('eventlog_' || p_topic, (head + cardinality(appended))::text);
    end if;
    return appended;
end
$$;

grant execute on function eventlog.append to payments_ledger, payments_api;
