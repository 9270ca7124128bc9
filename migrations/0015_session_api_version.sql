-- Which Session API created the session (issue 15): sessions created through v2 hand out a
-- journey link with a signed token, and the journey refuses to open them without it. Every
-- session before this column came from v1, whose links carry no token.
alter table sessions add column api_version smallint not null default 1 check (api_version in (1, 2));
