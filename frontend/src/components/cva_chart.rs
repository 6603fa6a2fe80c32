//! Commissioned against delivered, week by week: a bar chart drawn as plain SVG by Leptos
//! (no chart library), for the Commissioned vs Actuals report.
//!
//! The picture is one image to assistive technology (`role="img"`), named by its title and
//! described by a sentence of the totals; the same figures follow as a table, so nothing is
//! told by the bars alone. Each bar is outlined in near-black, so both colours stand out from
//! the page with at least 3:1 contrast (WCAG 1.4.11), and the legend names them.

use std::str::FromStr;

use leptos::prelude::*;
use portal_domain::calendar::parse_iso_date;
use portal_domain::format::{format_date, format_money};
use portal_dto::CommissionedWeek;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::format::{date_text, signed_money_text, signed_quantity_text};

/// The two series' fills: GOV.UK blue and orange, told apart by people with the common
/// colour-vision deficiencies.
pub const COMMISSIONED_COLOUR: &str = "#1d70b8";
pub const DELIVERED_COLOUR: &str = "#f47738";
const OUTLINE_COLOUR: &str = "#0b0c0c";

// The drawing's units (its viewBox); whole numbers, as the workspace keeps floats out.
const WIDTH: i64 = 760;
const HEIGHT: i64 = 320;
const LEFT: i64 = 90;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 56;

/// One week's pair of bars, in pounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekBars {
    /// The week's Monday, ISO.
    pub week: String,
    pub commissioned: Decimal,
    pub delivered: Decimal,
}

fn money(text: &str) -> Decimal {
    Decimal::from_str(text.trim()).unwrap_or_default()
}

/// The report's weeks as bars: commissioned cost against delivered (actual + frustrated).
pub fn week_bars(weeks: &[CommissionedWeek]) -> Vec<WeekBars> {
    weeks
        .iter()
        .map(|week| WeekBars {
            week: week.week.clone(),
            commissioned: money(&week.commissioned_cost),
            delivered: money(&week.delivered_cost),
        })
        .collect()
}

/// The top of the value axis: the smallest 1, 2 or 5 times a power of ten at or above the
/// largest bar (and at least £1), so the gridlines fall on round sums.
pub fn axis_top(bars: &[WeekBars]) -> Decimal {
    let largest = bars
        .iter()
        .flat_map(|bar| [bar.commissioned, bar.delivered])
        .max()
        .unwrap_or_default();
    let mut step = Decimal::ONE;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step * Decimal::from(factor);
            if candidate >= largest {
                return candidate;
            }
        }
        step *= Decimal::TEN;
    }
}

/// The gridlines' values: nought to the top in quarters.
pub fn ticks(top: Decimal) -> Vec<Decimal> {
    (0..=4)
        .map(|quarter| top * Decimal::from(quarter) / Decimal::from(4))
        .collect()
}

/// A bar's height in the drawing's units: in proportion to the axis, rounded, never
/// negative nor above the axis.
pub fn bar_height(value: Decimal, top: Decimal, plot_height: i64) -> i64 {
    if top <= Decimal::ZERO || value <= Decimal::ZERO {
        return 0;
    }
    let share = (value / top).min(Decimal::ONE);
    (share * Decimal::from(plot_height))
        .round()
        .to_i64()
        .unwrap_or(0)
}

/// Every how many weeks a date is written under the bars, so the labels never overlap.
pub fn label_every(weeks: usize) -> usize {
    weeks.div_ceil(10).max(1)
}

/// The chart in one sentence, for those who do not see it: "Commissioned £2,144.60 against
/// delivered £1,715.68 over 2 weeks, from the week beginning 04/04/2022 to the week
/// beginning 11/04/2022."
pub fn description(bars: &[WeekBars]) -> String {
    let commissioned: Decimal = bars.iter().map(|bar| bar.commissioned).sum();
    let delivered: Decimal = bars.iter().map(|bar| bar.delivered).sum();
    let weeks = match bars.len() {
        1 => "1 week".to_owned(),
        count => format!("{count} weeks"),
    };
    let span = match (bars.first(), bars.last()) {
        (Some(first), Some(last)) if bars.len() > 1 => format!(
            ", from the week beginning {} to the week beginning {}",
            date_text(&first.week),
            date_text(&last.week)
        ),
        (Some(only), _) => format!(", the week beginning {}", date_text(&only.week)),
        _ => String::new(),
    };
    format!(
        "Commissioned {} against delivered {} over {weeks}{span}.",
        format_money(commissioned),
        format_money(delivered)
    )
}

/// "£1,500" on the axis: whole pounds are enough to read a gridline.
pub fn axis_label(value: Decimal) -> String {
    let text = format_money(value);
    text.strip_suffix(".00").map(str::to_owned).unwrap_or(text)
}

/// "04/04" under a bar: the year is in the table and the description.
fn short_date(iso: &str) -> String {
    parse_iso_date(iso)
        .map(|date| format_date(date)[..5].to_owned())
        .unwrap_or_else(|_| iso.to_owned())
}

/// A legend's sample of a series' colour, drawn (not styled) so no inline style is needed.
fn swatch(colour: &'static str) -> impl IntoView {
    view! {
        <svg class="app-chart__swatch" width="20" height="20" viewBox="0 0 20 20" focusable="false" aria-hidden="true">
            <rect x="0.5" y="0.5" width="19" height="19" fill=colour stroke=OUTLINE_COLOUR stroke-width="1" />
        </svg>
    }
}

#[component]
pub fn CvaChart(weeks: Vec<CommissionedWeek>) -> impl IntoView {
    let bars = week_bars(&weeks);
    let top = axis_top(&bars);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let baseline = TOP + plot_height;
    let slot = plot_width / i64::try_from(bars.len().max(1)).unwrap_or(1);
    let bar_width = (slot * 36 / 100).clamp(1, 36);
    let every = label_every(bars.len());
    let summary = description(&bars);

    let grid = ticks(top)
        .into_iter()
        .map(|tick| {
            let y = baseline - bar_height(tick, top, plot_height);
            view! {
                <g>
                    <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y stroke="#b1b4b6" stroke-width="1" />
                    <text x=LEFT - 8 y=y + 5 text-anchor="end" font-size="14" fill="#0b0c0c">
                        {axis_label(tick)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let columns = bars
        .iter()
        .enumerate()
        .map(|(index, bar)| {
            let centre = LEFT + slot * i64::try_from(index).unwrap_or(0) + slot / 2;
            let planned = bar_height(bar.commissioned, top, plot_height);
            let delivered = bar_height(bar.delivered, top, plot_height);
            let label = (index % every == 0).then(|| {
                view! {
                    <text x=centre y=baseline + 20 text-anchor="middle" font-size="14" fill="#0b0c0c">
                        {short_date(&bar.week)}
                    </text>
                }
            });
            view! {
                <g>
                    <rect x=centre - bar_width - 1 y=baseline - planned width=bar_width height=planned
                        fill=COMMISSIONED_COLOUR stroke=OUTLINE_COLOUR stroke-width="1" />
                    <rect x=centre + 1 y=baseline - delivered width=bar_width height=delivered
                        fill=DELIVERED_COLOUR stroke=OUTLINE_COLOUR stroke-width="1" />
                    {label}
                </g>
            }
        })
        .collect_view();

    let rows = weeks
        .iter()
        .map(|week| {
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{date_text(&week.week)}</th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{signed_quantity_text(&week.commissioned_units)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{signed_quantity_text(&week.delivered_units)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{signed_money_text(&week.commissioned_cost)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{signed_money_text(&week.delivered_cost)}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <figure class="app-chart">
            <h2 class="govuk-heading-m" id="cva-chart-heading">"Commissioned against delivered, by week"</h2>
            <p class="govuk-body">{summary.clone()}</p>
            <ul class="app-chart__legend govuk-list" aria-label="Legend">
                <li>{swatch(COMMISSIONED_COLOUR)} "Commissioned (planned) cost"</li>
                <li>{swatch(DELIVERED_COLOUR)} "Delivered cost (actual and frustrated)"</li>
            </ul>
            <svg
                class="app-chart__svg"
                data-testid="cva-chart"
                role="img"
                aria-labelledby="cva-chart-title cva-chart-desc"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="xMinYMin meet"
                font-family="Arial, sans-serif"
                focusable="false"
            >
                <title id="cva-chart-title">"Commissioned against delivered cost, by week"</title>
                <desc id="cva-chart-desc">{summary}</desc>
                {grid}
                <line x1=LEFT x2=LEFT y1=TOP y2=baseline stroke=OUTLINE_COLOUR stroke-width="1" />
                <line x1=LEFT x2=WIDTH - RIGHT y1=baseline y2=baseline stroke=OUTLINE_COLOUR stroke-width="1" />
                {columns}
                <text x=LEFT + plot_width / 2 y=HEIGHT - 8 text-anchor="middle" font-size="14" fill="#0b0c0c">
                    "Week beginning"
                </text>
                <text
                    x="16"
                    y=TOP + plot_height / 2
                    text-anchor="middle"
                    font-size="14"
                    fill="#0b0c0c"
                    transform=format!("rotate(-90 16 {})", TOP + plot_height / 2)
                >
                    "Cost (£)"
                </text>
            </svg>
            <details class="govuk-details">
                <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">"Show the chart's figures as a table"</span>
                </summary>
                <div class="govuk-details__text">
                    <table class="govuk-table" data-testid="cva-chart-table">
                        <caption class="govuk-table__caption govuk-table__caption--s">
                            "Commissioned against delivered, by week"
                        </caption>
                        <thead class="govuk-table__head">
                            <tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"Week beginning"</th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Commissioned quantity"</th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Delivered quantity"</th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Commissioned cost"</th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Delivered cost"</th>
                            </tr>
                        </thead>
                        <tbody class="govuk-table__body">{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn week(week: &str, commissioned: &str, delivered: &str) -> CommissionedWeek {
        CommissionedWeek {
            week: week.to_owned(),
            commissioned_units: "5.00".to_owned(),
            delivered_units: "4.00".to_owned(),
            commissioned_cost: commissioned.to_owned(),
            delivered_cost: delivered.to_owned(),
        }
    }

    /// Example E16: weeks of 04/04/2022 and 11/04/2022.
    fn e16() -> Vec<WeekBars> {
        week_bars(&[
            week("2022-04-04", "1072.30", "643.38"),
            week("2022-04-11", "1072.30", "1072.30"),
        ])
    }

    #[test]
    fn the_description_sums_both_series_over_the_weeks() {
        assert_eq!(
            description(&e16()),
            "Commissioned £2,144.60 against delivered £1,715.68 over 2 weeks, from the week \
             beginning 04/04/2022 to the week beginning 11/04/2022."
        );
        let one = week_bars(&[week("2022-04-04", "1072.30", "643.38")]);
        assert_eq!(
            description(&one),
            "Commissioned £1,072.30 against delivered £643.38 over 1 week, the week beginning 04/04/2022."
        );
        assert_eq!(
            description(&[]),
            "Commissioned £0.00 against delivered £0.00 over 0 weeks."
        );
    }

    #[test]
    fn the_axis_rounds_up_to_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(axis_top(&e16()), dec("2000"));
        let small = week_bars(&[week("2022-04-04", "0.40", "0.00")]);
        assert_eq!(axis_top(&small), dec("1"));
        let exact = week_bars(&[week("2022-04-04", "500.00", "120.00")]);
        assert_eq!(axis_top(&exact), dec("500"));
        let big = week_bars(&[week("2022-04-04", "5000.01", "0")]);
        assert_eq!(axis_top(&big), dec("10000"));
        assert_eq!(axis_top(&[]), dec("1"));
        assert_eq!(
            ticks(dec("2000")),
            [dec("0"), dec("500"), dec("1000"), dec("1500"), dec("2000")]
        );
        assert_eq!(axis_label(dec("1500")), "£1,500");
        assert_eq!(axis_label(dec("0.25")), "£0.25");
    }

    #[test]
    fn bars_are_in_proportion_and_never_below_the_baseline() {
        assert_eq!(bar_height(dec("1000"), dec("2000"), 200), 100);
        assert_eq!(bar_height(dec("2000"), dec("2000"), 200), 200);
        assert_eq!(bar_height(dec("643.38"), dec("2000"), 248), 80);
        assert_eq!(bar_height(dec("0"), dec("2000"), 200), 0);
        // A negative figure (a credit) draws nothing rather than a bar upside down.
        assert_eq!(bar_height(dec("-5"), dec("2000"), 200), 0);
        assert_eq!(bar_height(dec("5"), dec("0"), 200), 0);
        let bars = e16();
        let top = axis_top(&bars);
        assert!(
            bar_height(bars[0].delivered, top, 248) < bar_height(bars[0].commissioned, top, 248)
        );
    }

    #[test]
    fn dates_under_the_bars_thin_out_when_there_are_many_weeks() {
        assert_eq!(label_every(2), 1);
        assert_eq!(label_every(10), 1);
        assert_eq!(label_every(11), 2);
        assert_eq!(label_every(52), 6);
        assert_eq!(short_date("2022-04-04"), "04/04");
    }
}
