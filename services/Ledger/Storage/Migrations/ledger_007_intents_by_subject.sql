-- Only intents are looked up by subject (the Payment API finds a payment's intents by its id); the
-- ledger topic's outcome events never are. Indexing their subjects too cost about a third of the time
-- the writer spends inserting outcome events (200,000 of them: 3.0 s of PostgreSQL's CPU with the index,
-- 1.8 to 2.1 s without; docs/performance.md). So the subject index covers the intents topic alone,
-- like the principal index of ledger_003, and replaces the event log's index over every topic.
create index events_payments_by_subject on eventlog.events (subject) where topic = 'payments';
drop index eventlog.events_by_subject;
