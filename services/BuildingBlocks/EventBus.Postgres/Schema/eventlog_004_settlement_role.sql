-- Settlement consumes the ledger topic and appends rail results to the settlement topic.
grant usage on schema eventlog to payments_settlement;
grant select, insert on eventlog.events to payments_settlement;
grant select, insert, update on eventlog.consumer_offsets to payments_settlement;
grant execute on function eventlog.append to payments_settlement;
