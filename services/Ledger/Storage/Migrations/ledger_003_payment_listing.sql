-- The Payment API lists a principal's payments in the order they were accepted. Intents carry their
-- principal in the event payload; this index serves that listing without scanning the log.
create index events_payments_by_principal on eventlog.events ((data ->> 'principal'), seq)
    where topic = 'payments';
