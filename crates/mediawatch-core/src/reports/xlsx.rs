//! XLSX with `rust_xlsxwriter`: a Summary sheet (the cover's lines, the figures, the volume table and a
//! native Excel chart of it) and a Mentions sheet written in constant-memory mode, a row at a time (each
//! row goes to a temporary file as soon as the next begins), with real Excel dates, hyperlinks, an
//! autofilter, a frozen header row, set column widths and wrapped snippets.
//!
//! Excel's own limits apply and are kept: 65,530 hyperlinks a sheet (later titles are plain text; the URL
//! column always has the address), 2,079 characters a link, 32,767 characters a cell (a longer full text
//! is cut, and says so).

use std::fs::File;

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Url, Workbook, XlsxError};

use super::{minute, Count, Entry, Head, Writer};
use crate::error::{Error, Result};

const MAX_LINKS: u32 = 65_530;
const MAX_URL: usize = 2_079;
const MAX_CELL: usize = 32_767;
const MENTIONS: usize = 1;

fn xlsx_error(e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(e) => super::io_error(e),
        other => Error::Internal(format!("XLSX: {other}")),
    }
}

/// At most Excel's 32,767 characters, cut at a character with a note.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL {
        return s.into();
    }
    let note = " … [cut: Excel holds 32,767 characters a cell]";
    let mut end = MAX_CELL - note.len() - 4;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{note}", &s[..end]).into()
}

pub(super) struct XlsxWriter {
    book: Workbook,
    file: File,
    row: u32,
    links: u32,
    columns: u16,
    full_text: bool,
    tz: chrono_tz::Tz,
    date: Format,
    wrap: Format,
}

impl XlsxWriter {
    pub(super) fn new(head: &Head, file: File) -> Result<XlsxWriter> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd hh:mm").set_align(FormatAlign::Top);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let top = Format::new().set_align(FormatAlign::Top);
        summary_sheet(&mut book, head, &bold).map_err(xlsx_error)?;

        let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        sheet.set_name("Mentions").map_err(xlsx_error)?;
        let full_text = head.content.full_text;
        // Excel's dates have no zone: they are written as the report's zone reads them, and the header
        // names the zone.
        let published = format!("Published ({})", head.tz.name());
        let mut headers = vec![
            (published.as_str(), 17.0),
            ("Title", 60.0),
            ("Source", 22.0),
            ("Language", 9.0),
            ("Topics", 22.0),
            ("Matched terms", 22.0),
            ("Snippet", 70.0),
            ("Also published by", 26.0),
            ("URL", 40.0),
            ("Story", 9.0),
            ("Article id", 10.0),
            ("Starred", 8.0),
        ];
        if full_text {
            headers.push(("Text", 90.0));
        }
        let header = Format::new().set_bold().set_background_color("#E5E7EB").set_align(FormatAlign::Top);
        for (i, (name, width)) in headers.iter().enumerate() {
            let col = i as u16;
            sheet.set_column_width(col, *width).map_err(xlsx_error)?;
            let format = match *name {
                _ if i == 0 => &date,
                "Title" | "Snippet" | "Text" | "Also published by" | "Topics" | "Matched terms" => &wrap,
                _ => &top,
            };
            sheet.set_column_format(col, format).map_err(xlsx_error)?;
            sheet.write_string_with_format(0, col, *name, &header).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        let columns = headers.len() as u16;
        Ok(XlsxWriter { book, file, row: 0, links: 0, columns, full_text, tz: head.tz, date, wrap })
    }
}

fn figure(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: &mut u32,
    title: &str,
    first: &str,
    rows: &[Count],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.write_string_with_format(*row, 0, title, bold)?;
    *row += 1;
    sheet.write_string_with_format(*row, 0, first, bold)?;
    sheet.write_string_with_format(*row, 1, "Stories", bold)?;
    sheet.write_string_with_format(*row, 2, "Articles", bold)?;
    *row += 1;
    for c in rows {
        sheet.write_string(*row, 0, &c.label)?;
        sheet.write_number(*row, 1, c.stories as f64)?;
        sheet.write_number(*row, 2, c.articles as f64)?;
        *row += 1;
    }
    *row += 1;
    Ok(())
}

fn summary_sheet(book: &mut Workbook, head: &Head, bold: &Format) -> std::result::Result<(), XlsxError> {
    let s = &head.summary;
    let sheet = book.add_worksheet();
    sheet.set_name("Summary")?;
    sheet.set_column_width(0, 44.0)?;
    sheet.set_column_width(1, 12.0)?;
    sheet.set_column_width(2, 12.0)?;
    sheet.write_string_with_format(0, 0, &head.title, &Format::new().set_bold().set_font_size(16))?;
    let mut row = 1;
    for line in &head.scope_lines {
        sheet.write_string(row, 0, line)?;
        row += 1;
    }
    sheet.write_string(row, 0, format!("Period: {}", head.period))?;
    sheet.write_string(row + 1, 0, format!("Generated {} by Mediawatch", minute(head.generated_at, head.tz)))?;
    sheet.write_string_with_format(row + 2, 0, head.counts_line(), bold)?;
    row += 4;
    figure(sheet, &mut row, "Mentions per topic", "Topic", &s.per_topic, bold)?;
    figure(sheet, &mut row, "Sources", "Source (stories first published there)", &s.per_source, bold)?;
    figure(sheet, &mut row, "Languages", "Language", &s.per_lang, bold)?;

    // The volume table: a bucket a row, a topic a column; the chart draws it.
    let unit = match s.bucket {
        super::Bucket::Day => "Day",
        super::Bucket::Week => "Week of",
        super::Bucket::Month => "Month",
    };
    sheet.write_string_with_format(row, 0, format!("Stories over time ({})", head.tz.name()), bold)?;
    row += 1;
    let table = row;
    sheet.write_string_with_format(table, 0, unit, bold)?;
    for (j, series) in s.series.iter().enumerate() {
        sheet.write_string_with_format(table, 1 + j as u16, &series.topic, bold)?;
        sheet.set_column_width(1 + j as u16, 12.0)?;
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, label) in s.buckets.iter().enumerate() {
        let r = table + 1 + i as u32;
        match chrono::NaiveDate::parse_from_str(label, "%Y-%m-%d") {
            Ok(d) => sheet.write_datetime_with_format(r, 0, d, &date)?,
            Err(_) => sheet.write_string(r, 0, label)?,
        };
        for (j, series) in s.series.iter().enumerate() {
            sheet.write_number(r, 1 + j as u16, series.counts.get(i).copied().unwrap_or(0) as f64)?;
        }
    }
    if head.content.charts && !s.buckets.is_empty() && !s.series.is_empty() {
        let last = table + s.buckets.len() as u32;
        let mut chart = Chart::new(if s.buckets.len() > 40 { ChartType::Line } else { ChartType::Column });
        for j in 0..s.series.len() {
            let col = 1 + j as u16;
            chart
                .add_series()
                .set_name(("Summary", table, col))
                .set_categories(("Summary", table + 1, 0, last, 0))
                .set_values(("Summary", table + 1, col, last, col));
        }
        chart.title().set_name(&format!("Stories per {} — {}", unit.to_lowercase(), head.title));
        chart.x_axis().set_name(head.tz.name());
        chart.y_axis().set_name("Stories");
        chart.set_width(720).set_height(320);
        sheet.insert_chart(1, 4, &chart)?;
    }
    Ok(())
}

impl Writer for XlsxWriter {
    fn entry(&mut self, e: &Entry) -> Result<()> {
        self.row += 1;
        let row = self.row;
        if row >= 1_048_576 {
            return Err(Error::InvalidInput(
                "an XLSX sheet holds 1,048,575 rows: narrow the scope, or export CSV".into(),
            ));
        }
        let sheet = self.book.worksheet_from_index(MENTIONS).map_err(xlsx_error)?;
        let published = e.published.unwrap_or(e.sort_at).with_timezone(&self.tz).naive_local();
        sheet.write_datetime_with_format(row, 0, published, &self.date).map_err(xlsx_error)?;
        match e.url.as_deref().filter(|u| u.len() <= MAX_URL && self.links < MAX_LINKS) {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                self.links += 1;
                let url = Url::new(u).set_text(cell_text(&e.title));
                sheet.write_url_with_format(row, 1, url, &self.wrap).map_err(xlsx_error)?;
            }
            _ => {
                sheet.write_string(row, 1, cell_text(&e.title)).map_err(xlsx_error)?;
            }
        }
        sheet.write_string(row, 2, &e.source).map_err(xlsx_error)?;
        sheet.write_string(row, 3, e.lang.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        sheet.write_string(row, 4, e.topics.join(", ")).map_err(xlsx_error)?;
        sheet.write_string(row, 5, super::csv::terms(e).join(", ")).map_err(xlsx_error)?;
        let snippet: Vec<&str> = e.kwic.iter().map(|k| k.text.as_str()).collect();
        let snippet = if snippet.is_empty() { e.snippet.clone() } else { snippet.join("\n") };
        sheet.write_string(row, 6, cell_text(&snippet)).map_err(xlsx_error)?;
        sheet.write_string(row, 7, super::csv::outlets(e).join(", ")).map_err(xlsx_error)?;
        sheet.write_string(row, 8, cell_text(e.url.as_deref().unwrap_or(""))).map_err(xlsx_error)?;
        sheet.write_number(row, 9, e.story as f64).map_err(xlsx_error)?;
        sheet.write_number(row, 10, e.id as f64).map_err(xlsx_error)?;
        if e.starred {
            sheet.write_string(row, 11, "yes").map_err(xlsx_error)?;
        }
        if self.full_text {
            sheet.write_string(row, 12, cell_text(e.text.as_deref().unwrap_or(""))).map_err(xlsx_error)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let (last_row, last_col) = (self.row, self.columns - 1);
        let sheet = self.book.worksheet_from_index(MENTIONS).map_err(xlsx_error)?;
        sheet.autofilter(0, 0, last_row, last_col).map_err(xlsx_error)?;
        let file = self.file.try_clone().map_err(super::io_error)?;
        self.book.save_to_writer(std::io::BufWriter::new(file)).map_err(xlsx_error)?;
        self.file.sync_all().map_err(super::io_error)
    }
}
