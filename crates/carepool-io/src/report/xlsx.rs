//! The report as a workbook: a first sheet with the facts and notes, then one sheet per table,
//! its header bold and frozen, numbers stored as numbers with their decimals as the format.

use super::ReportError;
use super::{Cell, Report, write_error, write_whole};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    let mut workbook = build(report).map_err(|error| write_error(path, error))?;
    write_whole(path, |file| workbook.save_to_writer(file))
}

fn build(report: &Report) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let number_formats: Vec<Format> = (0..=8u8)
        .map(|decimals| {
            let pattern = match decimals {
                0 => "#,##0".to_string(),
                d => format!("#,##0.{}", "0".repeat(usize::from(d))),
            };
            Format::new().set_num_format(pattern)
        })
        .collect();
    let share = Format::new().set_num_format("0.00%");
    let year = Format::new().set_num_format("0");
    // A cell in its own kind: numbers as numbers, with their format.
    let write_cell =
        |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &Cell| match cell {
            Cell::Text(text) | Cell::Label(text) => sheet.write(r, c, text).map(|_| ()),
            Cell::Said(sentence) => sheet.write(r, c, &sentence.text).map(|_| ()),
            Cell::Number(value, decimals) => sheet
                .write_number_with_format(
                    r,
                    c,
                    *value,
                    &number_formats[usize::from(*decimals).min(8)],
                )
                .map(|_| ()),
            Cell::Amount(value) => sheet
                .write_number_with_format(r, c, *value, &number_formats[2])
                .map(|_| ()),
            Cell::Share(value) => sheet
                .write_number_with_format(r, c, *value, &share)
                .map(|_| ()),
            Cell::Year(value) => sheet
                .write_number_with_format(r, c, f64::from(*value), &year)
                .map(|_| ()),
            Cell::Empty => Ok(()),
        };
    let about = workbook.add_worksheet().set_name("about")?;
    about.write_with_format(0, 0, &report.title, &bold)?;
    let mut row = 2;
    if let Some(currency) = &report.currency {
        about.write_with_format(row, 0, "currency", &bold)?;
        about.write(row, 1, currency)?;
        row += 1;
    }
    for (name, value) in &report.headline {
        about.write_with_format(row, 0, name, &bold)?;
        write_cell(about, row, 1, value)?;
        if let (Cell::Amount(_), Some(currency)) = (value, &report.currency) {
            about.write(row, 2, currency)?;
        }
        row += 1;
    }
    for (name, value) in &report.facts {
        about.write_with_format(row, 0, name, &bold)?;
        about.write(row, 1, value)?;
        row += 1;
    }
    row += 1;
    for warning in &report.warnings {
        about.write(row, 0, format!("{}: {warning}", report.warning_label))?;
        row += 1;
    }
    for note in &report.notes {
        about.write(row, 0, &note.text)?;
        row += 1;
    }
    // Said here, not in the empty sheet, where a program would read it as data.
    for table in report.tables.iter().filter(|t| t.rows.is_empty()) {
        about.write(
            row,
            0,
            format!("{}: no rows, nothing in the data falls in it.", table.name),
        )?;
        row += 1;
    }
    about.set_column_width(0, 24)?;
    about.set_column_width(1, 40)?;
    for table in &report.tables {
        let sheet = workbook.add_worksheet().set_name(&table.name)?;
        for (c, name) in table.header.iter().enumerate() {
            sheet.write_with_format(0, c as u16, name, &bold)?;
        }
        for (r, cells) in table.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                write_cell(sheet, r as u32 + 1, c as u16, cell)?;
            }
        }
        sheet.set_freeze_panes(1, 1)?;
        sheet.set_column_width(0, 14)?;
        for c in 1..table.header.len() {
            sheet.set_column_width(c as u16, 14)?;
        }
    }
    Ok(workbook)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook};

    #[test]
    fn each_table_is_a_sheet_with_its_numbers_as_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        super::write(&super::super::tests::sample(), &path).unwrap();
        let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            workbook.sheet_names(),
            ["about", "results", "triangle", "years", "limits"]
        );
        let about = workbook.worksheet_range("about").unwrap();
        // The currency, then the headline figures as numbers, then the settings.
        assert_eq!(about.get((2, 1)), Some(&Data::String("XOF".into())));
        assert_eq!(about.get((3, 1)), Some(&Data::Float(65411.2786)));
        assert_eq!(about.get((3, 2)), Some(&Data::String("XOF".into())));
        assert_eq!(about.get((4, 1)), Some(&Data::Float(0.0345)));
        assert_eq!(about.get((5, 1)), Some(&Data::String("mack".into())));
        let years = workbook.worksheet_range("years").unwrap();
        assert_eq!(years.get((1, 0)), Some(&Data::Float(2027.0)));
        let limits = workbook.worksheet_range("limits").unwrap();
        assert_eq!(limits.height(), 1, "the header alone");
        let said: Vec<String> = about.rows().map(|r| r[0].to_string()).collect();
        assert!(
            said.contains(&"limits: no rows, nothing in the data falls in it.".to_string()),
            "{said:?}"
        );
        let results = workbook.worksheet_range("results").unwrap();
        assert_eq!(results.get((1, 1)), Some(&Data::Float(1234.5)));
        let triangle = workbook.worksheet_range("triangle").unwrap();
        assert_eq!(triangle.get((2, 0)), Some(&Data::String("2025".into())));
    }
}
