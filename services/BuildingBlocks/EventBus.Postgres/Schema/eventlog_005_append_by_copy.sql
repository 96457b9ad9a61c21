-- Appends are now written by the client (PostgresEventAppender): a few events as one set-wise insert in
-- a single round trip, many by binary COPY, both under the same advisory lock with the same gapless
-- numbering, skipped repeats and notification as the function below. One definition of appending is
-- easier to trust than two, so the function goes.
drop function eventlog.append(text, uuid[], text[], text[], text[], text[], timestamptz[], text[], jsonb[]);
