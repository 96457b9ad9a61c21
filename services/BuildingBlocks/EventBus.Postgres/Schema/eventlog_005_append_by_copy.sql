-- Appends now travel by binary COPY from the client (PostgresEventLog.AppendAsync), under the same
-- advisory lock, with the same gapless numbering, skipped repeats and notification as the function
-- below had. One way to append is easier to trust than two, so the function goes.
drop function eventlog.append(text, uuid[], text[], text[], text[], text[], timestamptz[], text[], jsonb[]);
