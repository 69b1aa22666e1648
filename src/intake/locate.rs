//! Finding the tables in a returned workbook: the sheet by its name, else by
//! its content (a renamed sheet), and the header row wherever it is — below a
//! title block, after rows or columns were inserted above or to the left.
//! Columns are found by their header text, so reordered or inserted columns
//! are fine too. All positions are absolute (as the user sees them).

use super::finding::Finding;
use super::read::{Book, Sheet};
use crate::text::fold;

/// How many rows from the top of a sheet are searched for the header.
const HEADER_SCAN_ROWS: usize = 80;

/// A table found in a sheet: where its header row is and where each wanted
/// column is (`None` when that header is missing).
#[derive(Debug, Clone)]
pub struct Table<'b> {
    pub sheet: &'b Sheet,
    pub header_row: u32,
    pub columns: Vec<Option<u32>>,
    /// Found by content under another name.
    pub renamed: bool,
}

impl<'b> Table<'b> {
    /// Absolute column of the `i`-th wanted header.
    pub fn col(&self, i: usize) -> Option<u32> {
        self.columns.get(i).copied().flatten()
    }

    /// Rows below the header holding any cell.
    pub fn data_rows(&self) -> Vec<u32> {
        self.sheet
            .rows()
            .into_iter()
            .filter(|r| *r > self.header_row)
            .collect()
    }

    /// Texts above the header row (the title block), top to bottom.
    pub fn title_texts(&self) -> Vec<String> {
        self.sheet
            .cells
            .iter()
            .take_while(|c| c.row < self.header_row)
            .map(|c| c.value.text())
            .collect()
    }
}

/// Finds the header row: the row matching the most wanted headers, with all
/// `required` ones and at least three in all.
pub fn header_in(
    sheet: &Sheet,
    headers: &[&str],
    required: &[usize],
) -> Option<(u32, Vec<Option<u32>>)> {
    let wanted: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    // Header cells are short: longer texts are not folded at all.
    let longest = 2 * headers.iter().map(|h| h.len()).max().unwrap_or(0);
    let mut best: Option<(usize, u32, Vec<Option<u32>>)> = None;
    for row in sheet.rows().into_iter().take(HEADER_SCAN_ROWS) {
        let mut cols = vec![None; headers.len()];
        for cell in sheet.row(row) {
            let text = match &cell.value {
                crate::intake::values::Value::Text(s) => std::borrow::Cow::Borrowed(s.trim()),
                v => std::borrow::Cow::Owned(v.text()),
            };
            if text.len() > longest {
                continue;
            }
            let f = fold(&text);
            if let Some(i) = wanted.iter().position(|w| *w == f) {
                cols[i].get_or_insert(cell.col);
            }
        }
        let score = cols.iter().filter(|c| c.is_some()).count();
        let complete = required.iter().all(|i| cols[*i].is_some());
        if complete && score >= 3.min(headers.len()) && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, row, cols));
            if score == headers.len() {
                // Every header found: no later row can score higher.
                break;
            }
        }
    }
    best.map(|(_, row, cols)| (row, cols))
}

/// Finds the table of sheet `name`: by name, else by content anywhere.
///
/// # Errors
/// S001 when no sheet holds the table; S003 when the named sheet exists but
/// its header row is gone.
pub fn table<'b>(
    book: &'b Book,
    name: &str,
    headers: &[&str],
    required: &[usize],
) -> Result<Table<'b>, Finding> {
    let named = book.sheets.iter().find(|s| fold(&s.name) == fold(name));
    if let Some(sheet) = named {
        if let Some((header_row, columns)) = header_in(sheet, headers, required) {
            return Ok(Table {
                sheet,
                header_row,
                columns,
                renamed: false,
            });
        }
    }
    for sheet in book.sheets.iter().filter(|s| Some(*s) != named) {
        if let Some((header_row, columns)) = header_in(sheet, headers, required) {
            return Ok(Table {
                sheet,
                header_row,
                columns,
                renamed: true,
            });
        }
    }
    let list = headers
        .iter()
        .take(4)
        .map(|h| format!("«{h}»"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(match named {
        Some(sheet) => Finding::new(
            "S003",
            format!("Sheet «{}» không còn dòng tiêu đề cột ({list}…). Hãy chép lại dòng tiêu đề từ biểu mẫu gốc, không xóa hay sửa chữ trong dòng này.", sheet.name),
        )
        .on(&sheet.name),
        None => Finding::new(
            "S001",
            format!("Không tìm thấy sheet «{name}» (kể cả theo nội dung: không sheet nào có dòng tiêu đề {list}…). Hãy dùng lại biểu mẫu gốc, không xóa sheet này."),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::read::{Cell, Format};
    use crate::intake::values::Value;

    fn sheet(name: &str, cells: &[(u32, u32, &str)]) -> Sheet {
        Sheet::new(
            name,
            cells
                .iter()
                .map(|(r, c, t)| Cell {
                    row: *r,
                    col: *c,
                    value: Value::Text(t.to_string()),
                })
                .collect(),
        )
    }

    fn book(sheets: Vec<Sheet>) -> Book {
        Book {
            format: Format::Xlsx,
            sheets,
            defined_names: vec![],
            properties: Default::default(),
        }
    }

    const H: [&str; 4] = ["Mã NV", "Nội dung nhiệm vụ", "Tình trạng", "Ghi chú"];

    #[test]
    fn header_found_below_a_title_and_to_the_right() {
        let s = sheet(
            "Nhiệm vụ",
            &[
                (0, 0, "BÁO CÁO"),
                (6, 3, "Mã NV"),
                (6, 4, "Nội dung nhiệm vụ"),
                (6, 7, "TÌNH TRẠNG"),
            ],
        );
        let b = book(vec![s]);
        let t = table(&b, "Nhiệm vụ", &H, &[0]).unwrap();
        assert_eq!(t.header_row, 6);
        assert_eq!(t.columns, vec![Some(3), Some(4), Some(7), None]);
        assert!(!t.renamed);
        assert_eq!(t.title_texts(), vec!["BÁO CÁO"]);
    }

    #[test]
    fn renamed_sheet_found_by_content_and_missing_ones_reported() {
        let s = sheet(
            "Sheet1",
            &[
                (0, 0, "Mã NV"),
                (0, 1, "Nội dung nhiệm vụ"),
                (0, 2, "Tình trạng"),
            ],
        );
        let b = book(vec![s]);
        let t = table(&b, "Nhiệm vụ", &H, &[0]).unwrap();
        assert!(t.renamed);
        assert_eq!(t.sheet.name, "Sheet1");
        let e = table(&b, "Số liệu", &["Mã chỉ số", "Chỉ tiêu", "Số liệu"], &[0]).unwrap_err();
        assert_eq!(e.code, "S001");
        let only_title = book(vec![sheet("Nhiệm vụ", &[(0, 0, "Mã NV"), (0, 1, "x")])]);
        assert_eq!(
            table(&only_title, "Nhiệm vụ", &H, &[0]).unwrap_err().code,
            "S003"
        );
    }
}
