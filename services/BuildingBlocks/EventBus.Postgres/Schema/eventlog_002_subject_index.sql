-- Readers find an intent by what it is about (a payment id, say), which is the event's subject.
create index events_by_subject on eventlog.events (topic, subject);
