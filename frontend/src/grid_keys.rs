//! Spreadsheet comfort in the actuals grid: where the arrow keys and Enter move to, and
//! writing a pasted block into the inputs it covers.

use wasm_bindgen::JsCast;

use crate::components::client_actuals::input_id;
use crate::line_draft::Field;

/// A move from one cell of a client's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    Left,
    Right,
}

fn exists(id: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .is_some()
}

/// The next cell's input id in the direction of `step`, skipping cells that have no input
/// (a timetabled line's computed figures); `None` at the grid's edge.
pub fn next_cell(
    client_key: &str,
    line: usize,
    field: Field,
    step: Step,
    lines: usize,
) -> Option<String> {
    next_position(line, field, step, lines, |line, field| {
        exists(&input_id(client_key, line, field))
    })
    .map(|(line, field)| input_id(client_key, line, field))
}

/// The walk itself, with `has_input` telling which cells can take focus.
pub fn next_position(
    line: usize,
    field: Field,
    step: Step,
    lines: usize,
    has_input: impl Fn(usize, Field) -> bool,
) -> Option<(usize, Field)> {
    let columns = Field::ALL;
    let mut column = columns.iter().position(|f| *f == field)?;
    let mut row = line;
    loop {
        match step {
            Step::Up => row = row.checked_sub(1)?,
            Step::Down => {
                row += 1;
                if row >= lines {
                    return None;
                }
            }
            Step::Left => column = column.checked_sub(1)?,
            Step::Right => {
                column += 1;
                if column >= columns.len() {
                    return None;
                }
            }
        }
        if has_input(row, columns[column]) {
            return Some((row, columns[column]));
        }
    }
}

/// Writes pasted values into the inputs (and comment boxes) they landed on; the drafts hold
/// the same values already.
pub fn fill_inputs(cells: &[(String, String)]) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    for (id, value) in cells {
        let Some(element) = document.get_element_by_id(id) else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(text) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            text.set_value(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn down_from_the_last_line_stays_put_and_up_skips_cells_without_inputs() {
        let every = |_: usize, _: Field| true;
        assert_eq!(next_position(1, Field::Actual, Step::Down, 2, every), None);
        assert_eq!(
            next_position(0, Field::Missed, Step::Down, 2, every),
            Some((1, Field::Missed))
        );
        // Line 1 is timetabled: its Actual is computed, so Up from line 2 lands on line 0.
        let timetabled_middle = |line: usize, field: Field| line != 1 || field == Field::Visits;
        assert_eq!(
            next_position(2, Field::Actual, Step::Up, 3, timetabled_middle),
            Some((0, Field::Actual))
        );
        assert_eq!(
            next_position(1, Field::Visits, Step::Left, 3, timetabled_middle),
            None
        );
        assert_eq!(
            next_position(0, Field::Visits, Step::Right, 1, every),
            Some((0, Field::Comment))
        );
    }
}
