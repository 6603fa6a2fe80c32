-- the per-council rules of domain 14a that a contract carries, for the actuals editor.

-- a line that differs from the plan must say why.
alter table contract add column comment_mandatory bigint not null default 0 check (comment_mandatory in (0, 1));
-- visits must be entered on every line.
alter table contract add column visits_mandatory bigint not null default 0 check (visits_mandatory in (0, 1));
-- extra units may be claimed at all.
alter table contract add column extra_allowed bigint not null default 1 check (extra_allowed in (0, 1));
-- when not empty, frustrated units are allowed only with one of these comments, one per line
-- (bradford: hospital retention, "hospital week 1" or "hospital week 2").
alter table contract add column frustrated_comments text not null default '';
