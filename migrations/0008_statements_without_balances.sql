-- Statements that print no balance column are read too (issue 10): their rows carry no
-- balance, and their reconciliation is "not possible" (null), never a pass.
alter table transactions alter column balance_paise drop not null;
alter table statements alter column reconciled drop not null;
