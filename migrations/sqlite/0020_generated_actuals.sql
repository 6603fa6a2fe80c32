-- reports (domain 12): the commissioned vs actuals report's "gen." column says whether a
-- week's actual was generated from plan and never changed since. generate actuals writes 1;
-- any save, import or batch that overwrites the line writes 0. lines recorded before this
-- migration are taken as entered (0), since nothing says otherwise.
alter table actual_line add column generated_from_plan bigint not null default 0
    check (generated_from_plan in (0, 1));
