-- Two indexes that every posting paid for and no query used (docs/performance.md, inserting 200,000 rows):
--
-- Only intents are looked up by subject (the Payment API finds a payment's intents by its id); the
-- ledger topic's outcome events never are. Indexing their subjects too was about a third of the cost of
-- inserting them (3.0 s of PostgreSQL's CPU with the index, 1.8 to 2.1 s without). So the subject index
-- covers the intents topic alone, like the principal index of ledger_003.
create index events_payments_by_subject on eventlog.events (subject) where topic = 'payments';
drop index eventlog.events_by_subject;

-- transfers_by_event replaced the unique constraint on event_id when clock ticks began to cause several
-- transfers (ledger_002); nothing looks transfers up by their event (the writer finds recorded intents by
-- their ids, and readers go from a transfer to its event). Its random keys cost about a quarter of the
-- cost of inserting transfers (1.5 to 1.6 s with it, 1.2 s without).
drop index ledger.transfers_by_event;
