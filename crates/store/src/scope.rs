//! Whose data a query may touch.

/// The caller's reach. Every query that reads or writes provider data takes a `Scope`, and
/// a record outside it is treated exactly like a missing one (the API answers 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A provider contact or tool: these organisations only.
    Organisations(Vec<i64>),
    /// Council staff: every organisation contracted with this council.
    Council(i64),
}

impl Scope {
    /// A SQL condition on `organisation_id_column` and `council_id_column`, with its
    /// parameters appended from `first_parameter` on. Ids are bound, never spliced.
    pub(crate) fn condition(
        &self,
        organisation_id_column: &str,
        council_id_column: &str,
        first_parameter: usize,
    ) -> (String, Vec<i64>) {
        match self {
            Scope::Organisations(ids) if ids.is_empty() => ("1 = 0".to_owned(), Vec::new()),
            Scope::Organisations(ids) => {
                let placeholders: Vec<String> = (0..ids.len())
                    .map(|offset| format!("${}", first_parameter + offset))
                    .collect();
                (
                    format!("{organisation_id_column} in ({})", placeholders.join(", ")),
                    ids.clone(),
                )
            }
            Scope::Council(council_id) => (
                format!("{council_id_column} = ${first_parameter}"),
                vec![*council_id],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_scope_binds_each_organisation() {
        let (sql, ids) =
            Scope::Organisations(vec![4, 9]).condition("s.organisation_id", "c.council_id", 2);
        assert_eq!(sql, "s.organisation_id in ($2, $3)");
        assert_eq!(ids, vec![4, 9]);
        let (sql, _) = Scope::Organisations(vec![]).condition("o", "c", 1);
        assert_eq!(sql, "1 = 0");
    }
}
