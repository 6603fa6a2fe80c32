//! A failed request, said in the problem's own words.

use leptos::prelude::*;
use portal_dto::Problem;

#[component]
pub fn ProblemText(problem: Problem) -> impl IntoView {
    view! {
        <div class="govuk-inset-text app-page-problem" role="alert">
            <p class="govuk-body govuk-!-font-weight-bold">{problem.title}</p>
            <p class="govuk-body">{problem.detail}</p>
        </div>
    }
}

/// What a page shows when the session is gone before a request could be made.
pub fn signed_out() -> Problem {
    Problem {
        problem_type: "about:blank".to_owned(),
        title: "You need to sign in".to_owned(),
        status: 401,
        detail: "You need to sign in".to_owned(),
        errors: Vec::new(),
    }
}

/// Signs the user out when a resource was refused for want of a session (an expired token
/// fails every call alike), so the router sends them to log in again.
pub fn sign_out_when_refused<T: Clone + Send + Sync + 'static>(
    session: crate::session::Session,
    resource: LocalResource<crate::api::ApiResult<T>>,
) {
    Effect::new(move |_| {
        if resource
            .get()
            .is_some_and(|result| result.is_err_and(|problem| problem.status == 401))
        {
            session.sign_out();
        }
    });
}
