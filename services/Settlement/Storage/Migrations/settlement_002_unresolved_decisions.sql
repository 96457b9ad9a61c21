-- A payout reported as timed out is one the rail may still pay: Settlement keeps asking the rail about
-- it for a day, and publishes what the rail says it did (RailInquiries).
alter table settlement.decisions
    add column unresolved    boolean     not null default false,
    add column last_inquiry  timestamptz;

create index decisions_unresolved on settlement.decisions (decided_at) where unresolved;

grant update (unresolved, last_inquiry) on settlement.decisions to payments_settlement;
