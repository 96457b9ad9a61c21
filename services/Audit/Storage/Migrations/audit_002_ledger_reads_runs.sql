-- The Ledger service answers ListAuditRuns (scope audit:read) from the recorded runs. It reads them and
-- nothing else of the audit's records; only the auditor writes them. The grant lives here, with the
-- schema it is on, because the ledger's migrations run before the audit schema exists.
grant usage on schema audit to payments_ledger;
grant select on audit.runs to payments_ledger;
