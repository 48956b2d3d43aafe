//! `jiceng report …`: the summary and the annual report as JSON, CSV or XLSX, computed
//! by the same store calls and rendered by the same code as the HTTP endpoints.

use std::io::Write;
use std::path::PathBuf;

use jiceng_store::{Scope, Store};

/// Output formats of the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON (as the API returns it).
    Json,
    /// CSV, UTF-8 with BOM.
    Csv,
    /// XLSX workbook (needs --out).
    Xlsx,
}

/// Writes `bytes` to `out`, or to standard output when absent (not for XLSX).
pub fn emit(bytes: &[u8], out: Option<&PathBuf>, format: Format) -> Result<(), String> {
    match out {
        Some(p) => {
            // Written beside and renamed, so a failed run leaves no half file.
            let tmp = p.with_extension("partial");
            std::fs::write(&tmp, bytes).map_err(|e| format!("无法写入 {}: {e}", tmp.display()))?;
            std::fs::rename(&tmp, p).map_err(|e| format!("无法写入 {}: {e}", p.display()))?;
            eprintln!("已写入 {}（{} 字节）", p.display(), bytes.len());
            Ok(())
        }
        None if format == Format::Xlsx => Err("XLSX 格式需要用 --out 指定输出文件".into()),
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("无法输出: {e}")),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    s.push('\n');
    Ok(s.into_bytes())
}

/// The summary in `format`.
pub async fn summary(
    store: &Store,
    org_id: i64,
    as_of: chrono::NaiveDate,
    format: Format,
) -> Result<Vec<u8>, String> {
    let s = store
        .summary(&Scope::system("cli"), org_id, as_of)
        .await
        .map_err(|e| e.to_string())?;
    match format {
        Format::Json => json(&s),
        Format::Csv => Ok(jiceng_api::export::summary_csv(&s).into_bytes()),
        Format::Xlsx => jiceng_api::export::summary_xlsx(&s).map_err(|e| e.to_string()),
    }
}

/// The annual report of `year` in `format`; `table` picks one table for CSV.
pub async fn annual(
    store: &Store,
    org_id: i64,
    year: i32,
    format: Format,
    table: Option<&str>,
) -> Result<Vec<u8>, String> {
    let scope = Scope::system("cli");
    let (r, _) = store
        .annual_report(&scope, org_id, year, None, true)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(t) = table {
        if !r.tables.iter().any(|x| x.code == t) {
            return Err(format!("没有这张表：{t}"));
        }
    }
    let failed: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.rule.as_str())
        .collect();
    if !failed.is_empty() {
        eprintln!("审核不符 {} 项：{}", failed.len(), failed.join("；"));
    }
    match format {
        Format::Csv => Ok(jiceng_api::export::annual_csv(&r, table).into_bytes()),
        Format::Json => json(
            &store
                .name_lists(r, usize::MAX)
                .await
                .map_err(|e| e.to_string())?,
        ),
        Format::Xlsx => {
            let named = store
                .name_lists(r, usize::MAX)
                .await
                .map_err(|e| e.to_string())?;
            jiceng_api::export::annual_xlsx(&named).map_err(|e| e.to_string())
        }
    }
}

/// The tier distribution of a rating year in `format` (CSV: tier, count, percent).
pub async fn ratings(
    store: &Store,
    org_id: i64,
    year: i32,
    format: Format,
) -> Result<Vec<u8>, String> {
    let d = store
        .rating_distribution(&Scope::system("cli"), org_id, year)
        .await
        .map_err(|e| e.to_string())?;
    match format {
        Format::Json => json(&d),
        Format::Csv => {
            let mut out = String::from("\u{feff}档次,数量,占比(%)\r\n");
            for r in &d.rows {
                out.push_str(&format!("{},{},{:.1}\r\n", r.tier, r.count, r.percent));
            }
            out.push_str(&format!("合计,{},100.0\r\n", d.total));
            Ok(out.into_bytes())
        }
        Format::Xlsx => Err("分类定级分布暂只支持 json 和 csv 格式".into()),
    }
}
