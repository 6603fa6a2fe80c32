-- issue 5: the session rows of a timetabled actual (domain 4.4). each row ticks the days
-- (a seven-character mask, monday first, '1' for ticked), gives the sessions on each ticked
-- day, and may be flagged frustrated. the line's actual, frustrated, missed and extra are
-- computed from its rows and stored on actual_line as for any other line.
-- a save supersedes the rows it replaces instead of deleting them, so every row ever
-- entered is kept (the audit trail holds who changed them).
create table actual_session_row (
    id integer primary key,
    actual_line_id bigint not null references actual_line (id),
    position bigint not null,
    days text not null check (length(days) = 7),
    quantity_hundredths bigint not null,
    is_frustrated bigint not null default 0 check (is_frustrated in (0, 1)),
    comment text not null default '',
    created_at text not null,
    superseded_at text
);
-- the live rows of a line are read with the week's lines.
create index actual_session_row_live on actual_session_row (actual_line_id, superseded_at);
