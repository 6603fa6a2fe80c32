//! Printable documents as PDF (remittance advice, purchase orders): A4 pages of headings,
//! lines of text and tables, in Helvetica. Helvetica is one of PDF's base-14 fonts, so no
//! font is embedded and the files stay small; text is WinAnsi-encoded, where "£" is one byte.
//! Pages break by themselves; a table repeats its header on each page.

// Page coordinates are points, as `f32`s in pdf-writer's API: layout, never money.
#![allow(clippy::float_arithmetic)]

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// How a table column lines up: text left, numbers right (as GOV.UK tables do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: its heading, its left edge (points from the page's left), its width in
/// characters (text wraps at spaces; figures never wrap), and its alignment.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub heading: &'a str,
    pub x: f32,
    pub width_chars: usize,
    pub align: Align,
}

/// A document being written, page by page.
pub struct Document {
    pages: Vec<Content>,
    y: f32,
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

impl Document {
    pub fn new() -> Document {
        Document {
            pages: vec![Content::new()],
            y: HEIGHT - MARGIN - 12.0,
        }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a document has a page")
    }

    /// Starts a new page when fewer than `needed` points are left.
    fn room_for(&mut self, needed: f32) -> bool {
        if self.y - needed < MARGIN {
            self.pages.push(Content::new());
            self.y = HEIGHT - MARGIN - 12.0;
            return false;
        }
        true
    }

    fn text_at(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        let y = self.y;
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&win_ansi(text)));
        page.end_text();
    }

    /// A bold heading.
    pub fn heading(&mut self, size: f32, text: &str) {
        self.room_for(size + 8.0);
        self.text_at(MARGIN, size, true, text);
        self.y -= size + 8.0;
    }

    /// A paragraph, wrapped to the page.
    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, 95) {
            self.room_for(14.0);
            self.text_at(MARGIN, 10.0, false, &line);
            self.y -= 14.0;
        }
    }

    /// Vertical space.
    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn rule(&mut self) {
        let y = self.y + 9.0;
        let page = self.page();
        page.move_to(MARGIN, y);
        page.line_to(WIDTH - MARGIN, y);
        page.stroke();
    }

    fn cells(&mut self, columns: &[Column<'_>], cells: &[String], bold: bool) {
        let wrapped: Vec<Vec<String>> = columns
            .iter()
            .zip(cells)
            .map(|(column, cell)| match column.align {
                Align::Left => wrap(cell, column.width_chars),
                Align::Right => vec![cell.clone()],
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * 12.0;
        self.room_for(height + 4.0);
        let top = self.y;
        for (column, lines) in columns.iter().zip(&wrapped) {
            self.y = top;
            for line in lines {
                let x = match column.align {
                    Align::Left => column.x,
                    // Helvetica's digits are 0.556 em wide; right-align by that.
                    Align::Right => {
                        column.x + column.width_chars as f32 * 5.0 - line.len() as f32 * 5.0
                    }
                };
                self.text_at(x, 9.0, bold, line);
                self.y -= 12.0;
            }
        }
        self.y = top - height - 4.0;
    }

    /// A table with its header row, which is repeated after a page break.
    pub fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>]) {
        let headings: Vec<String> = columns.iter().map(|c| c.heading.to_owned()).collect();
        self.cells(columns, &headings, true);
        self.rule();
        for row in rows {
            let page_before = self.pages.len();
            let wrapped_lines = columns
                .iter()
                .zip(row)
                .map(|(column, cell)| wrap(cell, column.width_chars).len())
                .max()
                .unwrap_or(1) as f32;
            if !self.room_for(wrapped_lines * 12.0 + 4.0) || self.pages.len() != page_before {
                self.cells(columns, &headings, true);
                self.rule();
            }
            self.cells(columns, row, false);
        }
    }

    /// The finished file.
    pub fn finish(self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let first_page = 5;
        let page_ids: Vec<Ref> = (0..self.pages.len())
            .map(|index| Ref::new(first_page + 2 * index as i32))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        for (index, content) in self.pages.into_iter().enumerate() {
            let page_id = page_ids[index];
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
            page.parent(tree);
            page.contents(content_id);
            {
                let mut resources = page.resources();
                let mut fonts = resources.fonts();
                fonts.pair(REGULAR, regular);
                fonts.pair(BOLD, bold);
            }
            drop(page);
            let stream = content.finish();
            pdf.stream(content_id, &stream);
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.finish()
    }
}

/// Text in the fonts' WinAnsi encoding: "£" is one byte there; anything it cannot show
/// becomes "?".
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '£' => 0xA3,
            '\u{2019}' => b'\'',
            '\u{2013}' | '\u{2014}' => b'-',
            c if c.is_ascii() && !c.is_ascii_control() => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Splits text into lines of at most `width` characters, at spaces (a longer word stands
/// alone on its line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_are_one_win_ansi_byte() {
        assert_eq!(win_ansi("£9,114.24"), b"\xA39,114.24".to_vec());
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 6), vec![String::new()]);
    }

    #[test]
    fn a_long_table_breaks_onto_more_pages() {
        let mut document = Document::new();
        document.heading(16.0, "Remittance Advice");
        let columns = [
            Column {
                heading: "Client",
                x: MARGIN,
                width_chars: 40,
                align: Align::Left,
            },
            Column {
                heading: "Amount",
                x: 450.0,
                width_chars: 10,
                align: Align::Right,
            },
        ];
        let rows: Vec<Vec<String>> = (0..200)
            .map(|i| vec![format!("Client {i}"), "£1.00".to_owned()])
            .collect();
        document.table(&columns, &rows);
        assert!(document.pages.len() > 3);
        let bytes = document.finish();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
