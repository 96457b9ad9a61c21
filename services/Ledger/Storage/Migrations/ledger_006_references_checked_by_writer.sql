-- The rows every payment writes (transfers, entries, payout marks) no longer carry foreign keys.
-- Each foreign key is a row trigger and an index probe per reference; on these tables they cost more
-- than the rows themselves (docs/performance.md). Nothing is lost: only the single writer inserts here,
-- it refers only to accounts and transfers it has loaded or written in the same batch, the tables are
-- append-only (a referenced row can never disappear), and the audit verifies every reference on its
-- own (docs/adr/0040-references-checked-by-the-writer-and-the-audit.md).
alter table ledger.transfers
    drop constraint transfers_debit_account_id_fkey,
    drop constraint transfers_credit_account_id_fkey,
    drop constraint transfers_pending_id_fkey,
    drop constraint transfers_reversal_of_fkey;

alter table ledger.entries
    drop constraint entries_account_id_fkey,
    drop constraint entries_transfer_id_fkey;

alter table ledger.payouts
    drop constraint payouts_transfer_id_fkey;
