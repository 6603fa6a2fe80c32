//! The GOV.UK tabs pattern built in Leptos rather than with GOV.UK Frontend's script:
//! `role="tablist"`, `tab` and `tabpanel`, one tab in the Tab order (the others
//! `tabindex="-1"`), and the arrow keys, Home and End moving between tabs and choosing them,
//! as the WAI-ARIA tabs pattern and GOV.UK's own script do.
//!
//! GOV.UK styles the tabbed look only under `.govuk-frontend-supported` (its script sets
//! that class on `<body>`); the portal loads no GOV.UK script, so the tabs' own wrapper
//! carries the class.

use leptos::prelude::*;

use crate::components::error_summary::focus_field;

/// One tab: its id stem (`tab-{id}` and the panel `{id}`) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabSpec {
    pub id: &'static str,
    pub name: &'static str,
}

/// The tab a key moves to from `current` among `count` tabs, or `None` for a key tabs
/// ignore. Arrows wrap round, as GOV.UK's tabs do.
pub fn tab_after_key(key: &str, current: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    match key {
        "ArrowRight" | "ArrowDown" => Some((current + 1) % count),
        "ArrowLeft" | "ArrowUp" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

/// Tabs over panels; `panels[i]` draws the panel of `tabs[i]`. Only the selected panel is
/// shown; the others are `hidden`, so a screen reader does not read them either.
#[component]
pub fn Tabs(
    /// The heading GOV.UK shows above the list where the tabs are not tabbed (narrow screens).
    title: &'static str,
    tabs: Vec<TabSpec>,
    panels: Vec<ViewFn>,
    selected: RwSignal<usize>,
) -> impl IntoView {
    let count = tabs.len();
    let list = tabs
        .iter()
        .enumerate()
        .map(|(index, tab)| {
            let tab_ids: Vec<&'static str> = tabs.iter().map(|tab| tab.id).collect();
            let is_selected = move || selected.get() == index;
            let choose = move |event: leptos::ev::MouseEvent| {
                event.prevent_default();
                selected.set(index);
            };
            let keys = move |event: leptos::ev::KeyboardEvent| {
                if let Some(next) = tab_after_key(&event.key(), index, count) {
                    event.prevent_default();
                    selected.set(next);
                    focus_field(&format!("tab-{}", tab_ids[next]));
                }
            };
            view! {
                <li
                    class="govuk-tabs__list-item"
                    class:govuk-tabs__list-item--selected=is_selected
                    role="presentation"
                >
                    <a
                        class="govuk-tabs__tab"
                        href=format!("#{}", tab.id)
                        id=format!("tab-{}", tab.id)
                        role="tab"
                        aria-controls=tab.id
                        aria-selected=move || if is_selected() { "true" } else { "false" }
                        tabindex=move || if is_selected() { "0" } else { "-1" }
                        on:click=choose
                        on:keydown=keys
                    >
                        {tab.name}
                    </a>
                </li>
            }
        })
        .collect_view();
    let panels = tabs
        .iter()
        .zip(panels)
        .enumerate()
        .map(|(index, (tab, panel))| {
            let hidden = move || selected.get() != index;
            view! {
                <div
                    class="govuk-tabs__panel"
                    class:govuk-tabs__panel--hidden=hidden
                    id=tab.id
                    role="tabpanel"
                    aria-labelledby=format!("tab-{}", tab.id)
                    hidden=hidden
                >
                    {panel.run()}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-frontend-supported">
            <div class="govuk-tabs">
                <h2 class="govuk-tabs__title">{title}</h2>
                <ul class="govuk-tabs__list" role="tablist">{list}</ul>
                {panels}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_between_tabs_and_wrap_round() {
        assert_eq!(tab_after_key("ArrowRight", 0, 2), Some(1));
        assert_eq!(tab_after_key("ArrowRight", 1, 2), Some(0));
        assert_eq!(tab_after_key("ArrowLeft", 0, 2), Some(1));
        assert_eq!(tab_after_key("ArrowUp", 1, 2), Some(0));
        assert_eq!(tab_after_key("ArrowDown", 0, 3), Some(1));
        assert_eq!(tab_after_key("Home", 2, 3), Some(0));
        assert_eq!(tab_after_key("End", 0, 3), Some(2));
        assert_eq!(tab_after_key("Enter", 0, 2), None);
        assert_eq!(tab_after_key("ArrowRight", 0, 0), None);
    }
}
