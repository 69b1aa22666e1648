//! Cell formats and page setup shared by the template's sheets: Times New
//! Roman everywhere, wrapped text, thin borders, a pale fill on the cells the
//! agency types into (the only unlocked cells), A4 landscape fit to width.

use rust_xlsxwriter::{
    Format, FormatAlign, FormatBorder, ProtectionOptions, RowNum, Worksheet, XlsxError,
};

pub const FONT: &str = "Times New Roman";
/// Fill of the cells to type into.
const ENTRY_FILL: u32 = 0xFFF8DC;
/// Fill of header cells.
const HEADER_FILL: u32 = 0xD9E2F3;
/// Date format shown to agencies.
pub const DATE_FORMAT: &str = "dd/mm/yyyy";

/// The formats of one workbook.
pub struct Styles {
    pub default: Format,
    pub title: Format,
    pub subtitle: Format,
    pub note: Format,
    pub section: Format,
    pub label: Format,
    pub text: Format,
    pub header: Format,
    pub cell: Format,
    pub cell_center: Format,
    pub entry_text: Format,
    pub entry_number: Format,
    pub entry_date: Format,
    pub check: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

fn boxed() -> Format {
    base()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
}

fn entry() -> Format {
    boxed().set_unlocked().set_background_color(ENTRY_FILL)
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            default: base(),
            title: base()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: base()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: base()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            section: base().set_bold().set_font_size(12),
            label: base()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            text: base().set_text_wrap().set_align(FormatAlign::Top),
            header: boxed()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(HEADER_FILL),
            cell: boxed(),
            cell_center: boxed().set_align(FormatAlign::Center),
            entry_text: entry(),
            entry_number: entry().set_align(FormatAlign::Center),
            entry_date: entry()
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Center),
            check: boxed().set_italic(),
        }
    }
}

/// How a sheet is fitted onto A4 landscape paper.
pub enum Fit<'a> {
    /// All columns on one page width.
    Width,
    /// Columns split into bands at the given columns (left of each break),
    /// the first `repeat` columns repeated on every band, pages printed
    /// across then down, at a scale that fits the widest band.
    Bands {
        breaks: &'a [u16],
        repeat: u16,
        widths: &'a [f64],
    },
}

/// Printable width of A4 landscape with the margins below, in points.
const PRINTABLE_PT: f64 = (11.69 - 0.4 - 0.3) * 72.0;

/// A4 landscape, footer with the agency's name and the page number, narrow
/// margins, header row repeated, fitted as `fit` says.
pub fn page_setup(ws: &mut Worksheet, agency_name: &str, repeat_row: Option<RowNum>, fit: Fit) {
    ws.set_paper_size(9)
        .set_landscape()
        .set_margins(0.4, 0.3, 0.5, 0.6, 0.3, 0.3)
        .set_footer(format!(
            "&L&\"{FONT},Regular\"&9{}&R&\"{FONT},Regular\"&9Trang &P/&N",
            agency_name.replace('&', "&&")
        ));
    if let Some(r) = repeat_row {
        // Only fails for an out-of-range row, which a template never has.
        let _ = ws.set_repeat_rows(r, r);
    }
    match fit {
        Fit::Width => {
            ws.set_print_fit_to_pages(1, 0)
                .set_print_center_horizontally(true);
        }
        Fit::Bands {
            breaks,
            repeat,
            widths,
        } => {
            let _ =
                ws.set_vertical_page_breaks(&breaks.iter().map(|&b| b as u32).collect::<Vec<_>>());
            if repeat > 0 {
                let _ = ws.set_repeat_columns(0, repeat - 1);
            }
            ws.set_page_order(false)
                .set_print_scale(band_scale(breaks, repeat, widths));
        }
    }
}

/// Width of a column in points as spreadsheet programs draw it: Excel uses
/// 7 px per character plus 5 px padding at 96 px per inch; LibreOffice draws
/// about 7 % wider, which is what counts here.
fn column_pt(width: f64) -> f64 {
    (width * 7.5 + 5.0) * 0.75
}

/// The largest whole-percent scale at which every band fits the page, less a
/// margin for programs that measure columns slightly wider.
pub fn band_scale(breaks: &[u16], repeat: u16, widths: &[f64]) -> u16 {
    let repeated: f64 = widths[..repeat as usize]
        .iter()
        .copied()
        .map(column_pt)
        .sum();
    let mut edges: Vec<usize> = vec![0];
    edges.extend(breaks.iter().map(|&b| b as usize));
    edges.push(widths.len());
    let widest = edges
        .windows(2)
        .map(|w| {
            let band: f64 = widths[w[0]..w[1]].iter().copied().map(column_pt).sum();
            if w[0] == 0 {
                band
            } else {
                band + repeated
            }
        })
        .fold(0.0, f64::max);
    let scale = (PRINTABLE_PT / widest * 100.0).floor() - 2.0;
    scale.clamp(10.0, 100.0) as u16
}

/// Line height of Times New Roman 11 in points.
const LINE_PT: f64 = 14.0;

/// Estimated number of lines `text` wraps to in a column of `width`
/// characters: greedy word wrap, Times New Roman 11 fitting about 1.2
/// characters per unit of column width (units are Calibri digits).
pub fn text_lines(text: &str, width: f64) -> usize {
    let cap = (width * 1.2 - 1.0).max(4.0);
    text.split('\n').map(|p| paragraph_lines(p, cap)).sum()
}

fn paragraph_lines(p: &str, cap: f64) -> usize {
    let space = char_width(' ');
    let (mut lines, mut used) = (1, 0.0);
    for word in p.split(' ').filter(|w| !w.is_empty()) {
        let w: f64 = word.chars().map(char_width).sum();
        if used > 0.0 && used + space + w > cap {
            lines += 1;
            used = 0.0;
        }
        if w > cap {
            lines += (w / cap).ceil() as usize - 1;
            used = w % cap;
        } else {
            used += if used > 0.0 { space + w } else { w };
        }
    }
    lines
}

/// Relative width of a character in Times New Roman: capitals (indicator
/// codes, abbreviations) are about 1.5 times as wide as lower case.
fn char_width(c: char) -> f64 {
    if c.is_uppercase() {
        1.6
    } else if c == '_' || c.is_ascii_digit() {
        1.1
    } else {
        1.0
    }
}

/// Sets a row's height to fit the tallest of its wrapped cells (programs do
/// not fit rows to wrapped text written by another program on their own).
pub fn fit_row(ws: &mut Worksheet, row: RowNum, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(t, w)| text_lines(t, *w))
        .max()
        .unwrap_or(1);
    ws.set_row_height(row, lines as f64 * LINE_PT + 3.0)?;
    Ok(())
}

/// Protects a sheet: only unlocked cells can be edited; rows can be resized
/// so that long answers stay readable.
pub fn protect(ws: &mut Worksheet, password: Option<&str>) {
    let options = ProtectionOptions {
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    if let Some(pw) = password.filter(|p| !p.is_empty()) {
        ws.protect_with_password(pw);
    }
}

/// Writes a title merged across `last_col + 1` columns.
pub fn merged(
    ws: &mut Worksheet,
    row: RowNum,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    ws.merge_range(row, 0, row, last_col, text, format)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_text_lines_grow_with_length_and_paragraphs() {
        assert_eq!(text_lines("", 30.0), 1);
        assert_eq!(text_lines("ngắn", 30.0), 1);
        let long = "nhiệm vụ ".repeat(20); // 180 characters
        let lines = text_lines(&long, 30.0);
        assert!((5..=7).contains(&lines), "{lines}");
        assert_eq!(text_lines("a\nb\nc", 30.0), 3);
        assert!(text_lines(&long, 60.0) < lines);
    }

    #[test]
    fn band_scale_fits_the_widest_band_with_repeated_columns() {
        // Two bands of 100 characters each: 100 * 7.5 * 0.75 ≈ 566 pt per band.
        let widths = [50.0, 50.0, 50.0, 50.0];
        let s = band_scale(&[2], 0, &widths);
        assert_eq!(s, 100, "fits at full size");
        // Repeating a wide column on the second band shrinks the scale.
        let s2 = band_scale(&[2], 1, &[50.0, 50.0, 60.0, 60.0]);
        assert!(s2 < 100 && s2 > 60, "{s2}");
        // One band of 300 characters needs about 47 %.
        let one = band_scale(&[], 0, &[300.0]);
        assert!((40..=50).contains(&one), "{one}");
    }
}
