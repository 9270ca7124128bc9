-- When the end user finished the hosted journey (pressed submit).
alter table sessions add column user_completed_at timestamptz;
