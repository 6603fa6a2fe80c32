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
