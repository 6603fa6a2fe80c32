//! Actions (DOMAIN 10): conversations between a provider and the council about one entity,
//! with a thread of posts. An action belongs to one council and one organisation; a
//! provider reaches only its organisations' actions, council staff their council's.

use portal_domain::action::{ActionStatus, Assignee, PostKind};
use portal_domain::council::EntityKind;
use serde_json::json;
use sqlx::FromRow;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::council::ActionTypeRecord;
use crate::notifications::ActionHappening;
use crate::sql::{date, date_text, flag, now_text};
use crate::{Scope, Store, StoreError, StoreResult};

/// An action about to be raised, already checked by the caller.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub action_type_id: i64,
    pub related_kind: EntityKind,
    pub related_id: i64,
    pub title: &'a str,
    /// The opening text: the thread's first post.
    pub text: &'a str,
    pub due_on: Date,
    pub assignee: Assignee,
    /// The organisation a provider contact writes for; `None` for council staff.
    pub posted_for_organisation_id: Option<i64>,
}

/// One action as its page and the list show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub action_type_id: i64,
    pub type_name: String,
    pub related_kind: EntityKind,
    pub related_id: i64,
    /// "Mr Sid Waddell", a contract's, service's or organisation's name.
    pub related_name: String,
    pub title: String,
    pub due_on: Date,
    pub assignee: Assignee,
    pub status: ActionStatus,
    pub version: i64,
    pub created_at: String,
    pub created_by: String,
    pub last_post_at: String,
}

/// One post of an action's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPostRecord {
    pub id: i64,
    /// `opened`, `comment`, `reply`, `closure_request` or `closed`.
    pub kind: String,
    pub text: String,
    pub posted_at: String,
    pub author: String,
    /// The organisation a provider contact wrote for.
    pub author_organisation: Option<String>,
    /// The assignment this post set, if it set one.
    pub assignee: Option<Assignee>,
    /// The due date this post set, if it set one.
    pub due_on: Option<Date>,
}

/// Which actions a list shows.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub open_only: bool,
    pub action_type_id: Option<i64>,
    /// Only those assigned to the provider, or to this council team.
    pub assigned_to: Option<Assignee>,
}

/// A post to an action's thread, already checked against the domain's rules: the status
/// and assignee it leaves the action with, and the due date it sets, if any.
#[derive(Debug, Clone)]
pub struct NewPost<'a> {
    pub kind: PostKind,
    pub text: &'a str,
    pub status: ActionStatus,
    pub assignee: Assignee,
    /// Whether the post reassigned the action (the post then records the assignee).
    pub reassigned: bool,
    pub due_on: Option<Date>,
    /// The organisation a provider contact writes for; `None` for council staff.
    pub posted_for_organisation_id: Option<i64>,
}

/// The home page's figures for the caller's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionCounts {
    pub open: i64,
    /// Open, assigned to the provider, past their due date.
    pub overdue: i64,
    pub awaiting_provider: i64,
}

/// Something an action may be raised on, for the New Action form's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEntity {
    pub kind: EntityKind,
    pub id: i64,
    pub name: String,
    pub organisation_id: i64,
}

#[derive(FromRow)]
struct ActionRow {
    id: i64,
    council_id: i64,
    organisation_id: i64,
    organisation_name: String,
    action_type_id: i64,
    type_name: String,
    related_kind: String,
    related_id: i64,
    related_name: Option<String>,
    title: String,
    due_on: String,
    assigned_to_provider: i64,
    assigned_team: Option<String>,
    status: String,
    version: i64,
    created_at: String,
    created_by: String,
    last_post_at: String,
}

impl ActionRow {
    fn into_record(self) -> StoreResult<ActionRecord> {
        Ok(ActionRecord {
            related_kind: EntityKind::from_code(&self.related_kind).ok_or_else(|| {
                StoreError::Corrupt(format!("action.related_kind {}", self.related_kind))
            })?,
            status: ActionStatus::from_code(&self.status)
                .ok_or_else(|| StoreError::Corrupt(format!("action.status {}", self.status)))?,
            due_on: date(&self.due_on, "action.due_on")?,
            assignee: assignee(self.assigned_to_provider, self.assigned_team)
                .ok_or_else(|| StoreError::Corrupt("action.assigned_team".into()))?,
            related_name: self.related_name.unwrap_or_default(),
            id: self.id,
            council_id: self.council_id,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            action_type_id: self.action_type_id,
            type_name: self.type_name,
            related_id: self.related_id,
            title: self.title,
            version: self.version,
            created_at: self.created_at,
            created_by: self.created_by,
            last_post_at: self.last_post_at,
        })
    }
}

fn assignee(to_provider: i64, team: Option<String>) -> Option<Assignee> {
    match (to_provider, team) {
        (1, _) => Some(Assignee::Provider),
        (_, Some(team)) => Some(Assignee::Team(team)),
        _ => None,
    }
}

fn assignee_columns(assignee: &Assignee) -> (i64, Option<&str>) {
    match assignee {
        Assignee::Provider => (flag(true), None),
        Assignee::Team(team) => (flag(false), Some(team.as_str())),
    }
}

/// The columns of an action as read, with the name of what it is about.
const ACTION_COLUMNS: &str = "a.id, a.council_id, a.organisation_id, o.name as organisation_name,
    a.action_type_id, t.name as type_name, a.related_kind, a.related_id,
    case a.related_kind
        when 'client' then (select trim(cl.title || ' ' || cl.forename || ' ' || cl.surname) from client cl where cl.id = a.related_id)
        when 'contract' then (select c.name from contract c where c.id = a.related_id)
        when 'service' then (select s.name from service s where s.id = a.related_id)
        when 'organisation' then (select ro.name from organisation ro where ro.id = a.related_id)
        else null
    end as related_name,
    a.title, a.due_on, a.assigned_to_provider, a.assigned_team, a.status, a.version,
    a.created_at, u.name as created_by, a.last_post_at
    from action a
    join organisation o on o.id = a.organisation_id
    join action_type t on t.id = a.action_type_id
    join app_user u on u.id = a.created_by";

impl Store {
    /// One action type of a council.
    pub async fn action_type_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<ActionTypeRecord>> {
        Ok(sqlx::query_as(
            "select id, name, team, entity_kinds, minimum_due_working_days, council_only, is_active
             from action_type where id = $1 and council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The council an organisation is contracted with.
    pub async fn council_of_organisation(&self, organisation_id: i64) -> StoreResult<Option<i64>> {
        let council: Option<Option<i64>> =
            sqlx::query_scalar("select council_id from organisation where id = $1")
                .bind(organisation_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(council.flatten())
    }

    /// The council teams actions may be assigned to: those its action types name.
    pub async fn action_teams(&self, council_id: i64) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "select distinct team from action_type
             where council_id = $1 and team is not null and is_active = 1 order by team",
        )
        .bind(council_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The organisations in `scope` that an entity of the council belongs to: a client's
    /// are those with a CPLI for it at one of their services. Empty when the entity is
    /// missing or outside the scope.
    pub async fn action_entity_organisations(
        &self,
        scope: &Scope,
        council_id: i64,
        kind: EntityKind,
        id: i64,
    ) -> StoreResult<Vec<i64>> {
        let (sql, organisation_column, council_column) = match kind {
            EntityKind::Client => (
                "select distinct s.organisation_id from cpli p
                 join service s on s.id = p.service_id
                 join client cl on cl.id = p.client_id
                 where p.client_id = $1 and cl.council_id = $2",
                "s.organisation_id",
                "cl.council_id",
            ),
            EntityKind::Contract => (
                "select c.organisation_id from contract c where c.id = $1 and c.council_id = $2",
                "c.organisation_id",
                "c.council_id",
            ),
            EntityKind::Service => (
                "select s.organisation_id from service s join contract c on c.id = s.contract_id
                 where s.id = $1 and c.council_id = $2",
                "s.organisation_id",
                "c.council_id",
            ),
            EntityKind::Organisation => (
                "select o.id from organisation o where o.id = $1 and o.council_id = $2",
                "o.id",
                "o.council_id",
            ),
            // Not yet kept as entities actions can name.
            _ => return Ok(Vec::new()),
        };
        let (condition, ids) = scope.condition(organisation_column, council_column, 3);
        let sql = format!("{sql} and {condition} order by 1");
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(id).bind(council_id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// What actions in `scope` may be raised on, for the New Action form: organisations,
    /// their contracts and services, and the clients with care at those services.
    pub async fn action_entities(&self, scope: &Scope) -> StoreResult<Vec<ActionEntity>> {
        let queries = [
            (
                EntityKind::Organisation,
                "select o.id, o.name, o.id from organisation o
                 where o.is_active = 1 and {condition} order by o.name, o.id",
                "o.id",
                "o.council_id",
            ),
            (
                EntityKind::Contract,
                "select c.id, c.name, c.organisation_id from contract c
                 where c.is_active = 1 and {condition} order by c.name, c.id",
                "c.organisation_id",
                "c.council_id",
            ),
            (
                EntityKind::Service,
                "select s.id, s.name, s.organisation_id from service s join contract c on c.id = s.contract_id
                 where s.is_active = 1 and {condition} order by s.name, s.id",
                "s.organisation_id",
                "c.council_id",
            ),
            (
                EntityKind::Client,
                "select cl.id, trim(cl.title || ' ' || cl.forename || ' ' || cl.surname) || ' (' || cl.ssref || ')',
                        min(s.organisation_id)
                 from client cl
                 join cpli p on p.client_id = cl.id
                 join service s on s.id = p.service_id
                 where {condition}
                 group by cl.id, cl.title, cl.forename, cl.surname, cl.ssref
                 order by cl.surname, cl.forename, cl.id",
                "s.organisation_id",
                "cl.council_id",
            ),
        ];
        let mut entities = Vec::new();
        for (kind, sql, organisation_column, council_column) in queries {
            let (condition, ids) = scope.condition(organisation_column, council_column, 1);
            let sql = sql.replace("{condition}", &condition);
            let mut query = sqlx::query_as::<_, (i64, String, i64)>(&sql);
            for id in ids {
                query = query.bind(id);
            }
            for (id, name, organisation_id) in query.fetch_all(self.pool()).await? {
                entities.push(ActionEntity {
                    kind,
                    id,
                    name,
                    organisation_id,
                });
            }
        }
        Ok(entities)
    }

    /// Raises an action with its opening post and audit row, in one transaction. Returns
    /// its id.
    pub async fn create_action(&self, action: &NewAction<'_>, actor: &Actor) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("actions are raised by people".into()))?;
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let (to_provider, team) = assignee_columns(&action.assignee);
        let (id,): (i64,) = sqlx::query_as(
            "insert into action (council_id, organisation_id, action_type_id, related_kind, related_id,
                title, due_on, assigned_to_provider, assigned_team, status, version, created_at,
                created_by, last_post_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', 1, $10, $11, $10) returning id",
        )
        .bind(action.council_id)
        .bind(action.organisation_id)
        .bind(action.action_type_id)
        .bind(action.related_kind.code())
        .bind(action.related_id)
        .bind(action.title)
        .bind(date_text(action.due_on))
        .bind(to_provider)
        .bind(team)
        .bind(now.as_str())
        .bind(person)
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query(
            "insert into action_post (action_id, kind, body, posted_at, posted_by,
                posted_for_organisation_id, assigned_to_provider, assigned_team, due_on)
             values ($1, 'opened', $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(action.text)
        .bind(now.as_str())
        .bind(person)
        .bind(action.posted_for_organisation_id)
        .bind(to_provider)
        .bind(team)
        .bind(date_text(action.due_on))
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "action.create",
            "action",
            id.to_string(),
            json!({
                "new": {
                    "organisation_id": action.organisation_id,
                    "action_type_id": action.action_type_id,
                    "related_kind": action.related_kind.code(),
                    "related_id": action.related_id,
                    "title": action.title,
                    "text": action.text,
                    "due_on": date_text(action.due_on),
                    "assigned_to": action.assignee.label(),
                    "status": ActionStatus::Open.code(),
                    "version": 1,
                }
            }),
        )
        .await?;
        self.notify_action(
            &mut transaction,
            &ActionHappening {
                action_id: id,
                what: "Raised",
                text: action.text,
                assigned_to_provider: to_provider == flag(true),
                assignee_label: action.assignee.label(),
                assigned: true,
                by_council: action.posted_for_organisation_id.is_none(),
            },
            actor,
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// One action in `scope`.
    pub async fn action(&self, scope: &Scope, id: i64) -> StoreResult<Option<ActionRecord>> {
        let (condition, ids) = scope.condition("a.organisation_id", "a.council_id", 2);
        let sql = format!("select {ACTION_COLUMNS} where a.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, ActionRow>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_optional(self.pool())
            .await?
            .map(ActionRow::into_record)
            .transpose()
    }

    /// The actions in `scope`, newest post first.
    pub async fn actions(
        &self,
        scope: &Scope,
        filter: &ActionFilter,
    ) -> StoreResult<Vec<ActionRecord>> {
        let (condition, ids) = scope.condition("a.organisation_id", "a.council_id", 5);
        // $3: 0 any assignee, 1 the provider, 2 the council team named in $4.
        let sql = format!(
            "select {ACTION_COLUMNS}
             where ($1 = 0 or a.status <> 'closed') and ($2 = 0 or a.action_type_id = $2)
               and ($3 = 0 or ($3 = 1 and a.assigned_to_provider = 1)
                    or ($3 = 2 and a.assigned_to_provider = 0 and a.assigned_team = $4))
               and {condition}
             order by a.last_post_at desc, a.id desc"
        );
        let (assignee_filter, team) = match &filter.assigned_to {
            None => (0_i64, String::new()),
            Some(Assignee::Provider) => (1, String::new()),
            Some(Assignee::Team(team)) => (2, team.clone()),
        };
        let mut query = sqlx::query_as::<_, ActionRow>(&sql)
            .bind(flag(filter.open_only))
            .bind(filter.action_type_id.unwrap_or(0))
            .bind(assignee_filter)
            .bind(team);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(ActionRow::into_record)
            .collect()
    }

    /// Adds a post to an action if `expected_version` is still current, moving the action
    /// to the post's status, assignee and due date, with an audit row, in one transaction.
    /// Returns the new version.
    pub async fn post_to_action(
        &self,
        action_id: i64,
        expected_version: i64,
        post: &NewPost<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("actions are written by people".into()))?;
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let (to_provider, team) = assignee_columns(&post.assignee);
        let updated = sqlx::query(
            "update action set status = $1, assigned_to_provider = $2, assigned_team = $3,
                due_on = coalesce($4, due_on), version = version + 1, last_post_at = $5
             where id = $6 and version = $7",
        )
        .bind(post.status.code())
        .bind(to_provider)
        .bind(team)
        .bind(post.due_on.map(date_text))
        .bind(now.as_str())
        .bind(action_id)
        .bind(expected_version)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            let current: Option<i64> =
                sqlx::query_scalar("select version from action where id = $1")
                    .bind(action_id)
                    .fetch_optional(&mut *transaction)
                    .await?;
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current: current.unwrap_or_default(),
            });
        }
        // The post records an assignment only when it made one.
        let (post_to_provider, post_team) = if post.reassigned {
            (Some(to_provider), team)
        } else {
            (None, None)
        };
        sqlx::query(
            "insert into action_post (action_id, kind, body, posted_at, posted_by,
                posted_for_organisation_id, assigned_to_provider, assigned_team, due_on)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(action_id)
        .bind(post.kind.code())
        .bind(post.text)
        .bind(now.as_str())
        .bind(person)
        .bind(post.posted_for_organisation_id)
        .bind(post_to_provider)
        .bind(post_team)
        .bind(post.due_on.map(date_text))
        .execute(&mut *transaction)
        .await?;
        let version = expected_version + 1;
        record_change(
            &mut transaction,
            actor,
            &format!("action.{}", post.kind.code()),
            "action",
            action_id.to_string(),
            json!({
                "text": post.text,
                "new": {
                    "status": post.status.code(),
                    "assigned_to": post.assignee.label(),
                    "due_on": post.due_on.map(date_text),
                    "version": version,
                }
            }),
        )
        .await?;
        self.notify_action(
            &mut transaction,
            &ActionHappening {
                action_id,
                what: post.kind.label(),
                text: post.text,
                assigned_to_provider: to_provider == flag(true),
                assignee_label: post.assignee.label(),
                assigned: post.reassigned,
                by_council: post.posted_for_organisation_id.is_none(),
            },
            actor,
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Open actions in `scope`, those overdue (assigned to the provider past their due date,
    /// `today` being the council's day) and those awaiting the provider.
    pub async fn action_counts(&self, scope: &Scope, today: Date) -> StoreResult<ActionCounts> {
        let (condition, ids) = scope.condition("a.organisation_id", "a.council_id", 2);
        let sql = format!(
            "select count(*),
                    cast(coalesce(sum(case when a.assigned_to_provider = 1 and a.due_on < $1 then 1 else 0 end), 0) as bigint),
                    cast(coalesce(sum(case when a.assigned_to_provider = 1 then 1 else 0 end), 0) as bigint)
             from action a where a.status <> 'closed' and {condition}"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql).bind(date_text(today));
        for id in ids {
            query = query.bind(id);
        }
        let (open, overdue, awaiting_provider) = query.fetch_one(self.pool()).await?;
        Ok(ActionCounts {
            open,
            overdue,
            awaiting_provider,
        })
    }

    /// An action's thread, oldest first.
    pub async fn action_posts(&self, action_id: i64) -> StoreResult<Vec<ActionPostRecord>> {
        type PostRow = (
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<PostRow> = sqlx::query_as(
            "select p.id, p.kind, p.body, p.posted_at, u.name, o.name,
                    p.assigned_to_provider, p.assigned_team, p.due_on
             from action_post p
             join app_user u on u.id = p.posted_by
             left join organisation o on o.id = p.posted_for_organisation_id
             where p.action_id = $1 order by p.posted_at, p.id",
        )
        .bind(action_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(
                |(id, kind, text, posted_at, author, organisation, to_provider, team, due_on)| {
                    Ok(ActionPostRecord {
                        id,
                        kind,
                        text,
                        posted_at,
                        author,
                        author_organisation: organisation,
                        assignee: to_provider.and_then(|to_provider| assignee(to_provider, team)),
                        due_on: due_on
                            .map(|day| date(&day, "action_post.due_on"))
                            .transpose()?,
                    })
                },
            )
            .collect()
    }
}
