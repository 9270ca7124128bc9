-- Deliveries are claimed client by client, each client's due events oldest first (issue 13):
-- one lender's backlog must not hold the others' events back. The claim walks this index once
-- per client and stops after that client's share; the old index, in due order across every
-- client, has no other reader.
create index webhook_events_client_due on webhook_events (client_id, next_attempt_at, seq) where status = 'pending' and head;
drop index webhook_events_due;
