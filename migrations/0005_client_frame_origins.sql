-- Origins the hosted journey may postMessage to (iframe workflow), besides the origin of the
-- session's redirect_url. '*' is allowed only when a client puts it here on purpose.
alter table clients add column frame_origins text[] not null default '{}';
