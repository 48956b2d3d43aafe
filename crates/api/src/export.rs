//! Reports as files: CSV and XLSX in the layout of the official tables, shared by the
//! HTTP endpoints and the `jiceng report` commands so both print the same thing.

use jiceng_domain::codes::Coded;
use jiceng_domain::member::{Education, Occupation};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::annual::{AnnualReport, TableKind, TableOut};
use jiceng_stats::summary::Summary;
use jiceng_store::annual::AnnualWithNames;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// One line of the summary as a table: section, item, count, share of the total (%).
pub type SummaryRow = (String, String, i64, Option<f64>);

fn zh<T: Coded>(code: &str) -> String {
    T::from_code(code).map_or_else(|| code.to_string(), |v| v.zh().to_string())
}

/// Labels of the summary's join eras.
fn era_label(key: &str) -> &str {
    match key {
        "before_1949_10" => "1949年10月以前",
        "1949_10_to_1978_12" => "1949年10月至1978年12月",
        "1978_12_to_2012_11" => "1978年12月至2012年11月",
        "since_2012_11" => "2012年11月以后",
        k => k,
    }
}

/// The summary flattened in report order.
pub fn summary_rows(s: &Summary) -> Vec<SummaryRow> {
    let m = &s.members;
    let mut out: Vec<SummaryRow> = Vec::new();
    let mut push = |sec: &str, item: &str, n: i64, p: Option<f64>| {
        out.push((sec.to_string(), item.to_string(), n, p));
    };
    let sh = |k: &str| m.shares.get(k).map(|x| x.percent);
    push(
        "党员",
        "党员总数",
        m.total,
        Some(if m.total > 0 { 100.0 } else { 0.0 }),
    );
    push("党员", "正式党员", m.full, None);
    push("党员", "预备党员", m.probationary, sh("probationary"));
    push("党员", "女党员", m.female, sh("female"));
    push("党员", "少数民族党员", m.minority, sh("minority"));
    for (k, label) in [
        ("le35", "35岁及以下"),
        ("36_55", "36至55岁"),
        ("gt55", "55岁以上"),
    ] {
        push(
            "年龄（三段）",
            label,
            m.age_seed.get(k).copied().unwrap_or(0),
            sh(k),
        );
    }
    for (label, v) in &m.age_bands {
        push("年龄", label, v.count, Some(v.percent));
    }
    for (k, label) in [
        ("college_or_above", "大专及以上"),
        ("secondary_or_high_school", "中专（高中）"),
        ("junior_high_or_below", "初中及以下"),
    ] {
        push(
            "学历（三类）",
            label,
            m.education_seed.get(k).copied().unwrap_or(0),
            sh(k),
        );
    }
    for e in Education::ALL {
        if let Some(v) = m.education.get(e.code()) {
            push("学历", e.zh(), v.count, Some(v.percent));
        }
    }
    for o in Occupation::ALL {
        if let Some(v) = m.occupation.get(o.code()) {
            push("职业", o.zh(), v.count, Some(v.percent));
        }
    }
    for (k, v) in &m.join_era {
        push("入党时间", era_label(k), v.count, Some(v.percent));
    }
    let o = &s.orgs;
    push("基层党组织", "基层党组织合计", o.basic, None);
    push("基层党组织", "基层党委", o.committees, None);
    push("基层党组织", "党总支", o.general_branches, None);
    push("基层党组织", "党支部", o.branches, None);
    for (k, n) in &o.by_kind {
        push("组织类别", &zh::<OrgKind>(k), *n, None);
    }
    for (k, f) in &o.by_field {
        let name = zh::<Field>(k);
        push(
            "领域",
            &format!(
                "{name}：党委 {} 个、党总支 {} 个、党支部 {} 个；党员",
                f.committees, f.general_branches, f.branches
            ),
            f.members,
            Some(f.members_percent),
        );
    }
    for (k, n) in &o.by_setup_mode {
        push("组建方式", &zh::<SetupMode>(k), *n, None);
    }
    let v = &s.village_cadres;
    push("村干部", "村干部中的党员", v.total, None);
    push("村干部", "村党组织书记", v.secretaries, None);
    push("村干部", "村委会主任", v.directors, None);
    push(
        "村干部",
        "书记、主任“一肩挑”",
        v.dual_role,
        Some(v.dual_role_percent),
    );
    out
}

/// Quotes a CSV field when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut l = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    l.push_str("\r\n");
    l
}

/// Percent as reports print it (two decimals).
fn pct(p: Option<f64>) -> String {
    p.map(|x| format!("{x:.2}")).unwrap_or_default()
}

/// The summary as CSV (UTF-8 with BOM so that Excel opens it as Chinese text).
pub fn summary_csv(s: &Summary) -> String {
    let mut out = String::from("\u{feff}");
    out += &csv_line(&[
        "单位".into(),
        s.org_name.clone(),
        "统计截止日期".into(),
        s.as_of.clone(),
    ]);
    out += &csv_line(&[
        "类别".into(),
        "项目".into(),
        "数量".into(),
        "占比(%)".into(),
    ]);
    for (sec, item, n, p) in summary_rows(s) {
        out += &csv_line(&[sec, item, n.to_string(), pct(p)]);
    }
    out
}

struct Styles {
    title: Format,
    sub: Format,
    head: Format,
    cell: Format,
    num: Format,
    note: Format,
}

fn styles() -> Styles {
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    Styles {
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        sub: Format::new(),
        head: border(Format::new())
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        cell: border(Format::new()),
        num: border(Format::new()).set_num_format("#,##0"),
        note: Format::new().set_italic().set_font_color("#555555"),
    }
}

/// The summary as a one-sheet workbook.
pub fn summary_xlsx(s: &Summary) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员和党组织基本情况")?;
    ws.merge_range(0, 0, 0, 3, "党员和党组织基本情况统计表", &st.title)?;
    ws.write_with_format(1, 0, format!("单位：{}", s.org_name), &st.sub)?;
    ws.write_with_format(1, 2, format!("统计截止日期：{}", s.as_of), &st.sub)?;
    for (c, h) in ["类别", "项目", "数量", "占比(%)"].iter().enumerate() {
        ws.write_with_format(2, c as u16, *h, &st.head)?;
    }
    for (i, (sec, item, n, p)) in summary_rows(s).into_iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_with_format(r, 0, sec, &st.cell)?;
        ws.write_with_format(r, 1, item, &st.cell)?;
        ws.write_with_format(r, 2, n as f64, &st.num)?;
        match p {
            Some(p) => ws.write_with_format(r, 3, p, &st.cell.clone().set_num_format("0.00"))?,
            None => ws.write_with_format(r, 3, "", &st.cell)?,
        };
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 56)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 10)?;
    ws.set_freeze_panes(3, 0)?;
    wb.save_to_buffer()
}

fn computed(r: &AnnualReport) -> impl Iterator<Item = &TableOut> {
    r.tables
        .iter()
        .filter(|t| t.kind != TableKind::NotCollected)
}

/// The annual report as CSV: every computed table (or only `table`), one block each in
/// the form's layout (甲 = item, 乙 = row number, then the lettered columns).
pub fn annual_csv(r: &AnnualReport, table: Option<&str>) -> String {
    let mut out = String::from("\u{feff}");
    for t in computed(r).filter(|t| table.is_none_or(|c| c == t.code)) {
        out += &csv_line(&[format!("{} {}", t.code, t.title)]);
        out += &csv_line(&[
            format!("填报单位：{}", r.org_name),
            format!("统计截止日期：{}", r.period_end),
        ]);
        let mut head = vec!["项目".to_string(), "行次".to_string()];
        head.extend(t.cols.iter().map(|c| format!("{} {}", c.key, c.label)));
        out += &csv_line(&head);
        for (row, vals) in t.rows.iter().zip(&t.cells) {
            let mut l = vec![row.label.clone(), row.key.clone()];
            l.extend(vals.iter().map(|v| v.to_string()));
            out += &csv_line(&l);
        }
        out += "\r\n";
    }
    out
}

fn table_sheet(
    ws: &mut Worksheet,
    r: &AnnualReport,
    t: &TableOut,
    st: &Styles,
) -> Result<(), XlsxError> {
    let width = (t.cols.len() + 1) as u16;
    ws.merge_range(0, 0, 0, width, &t.title, &st.title)?;
    ws.write_with_format(
        1,
        0,
        format!("{}    填报单位：{}", t.code, r.org_name),
        &st.sub,
    )?;
    ws.write_with_format(
        1,
        3.min(width),
        format!("统计截止日期：{}", r.period_end),
        &st.sub,
    )?;
    ws.write_with_format(2, 0, "项目", &st.head)?;
    ws.write_with_format(2, 1, "行次", &st.head)?;
    ws.write_with_format(3, 0, "甲", &st.head)?;
    ws.write_with_format(3, 1, "乙", &st.head)?;
    for (i, c) in t.cols.iter().enumerate() {
        ws.write_with_format(2, (i + 2) as u16, &c.label, &st.head)?;
        ws.write_with_format(3, (i + 2) as u16, &c.key, &st.head)?;
    }
    for (ri, (row, vals)) in t.rows.iter().zip(&t.cells).enumerate() {
        let rr = (ri + 4) as u32;
        ws.write_with_format(rr, 0, &row.label, &st.cell)?;
        ws.write_with_format(rr, 1, row.key.parse::<f64>().unwrap_or(0.0), &st.cell)?;
        for (ci, v) in vals.iter().enumerate() {
            ws.write_with_format(rr, (ci + 2) as u16, *v as f64, &st.num)?;
        }
    }
    for (nr, n) in ((t.rows.len() + 5) as u32..).zip(&t.notes) {
        ws.write_with_format(nr, 0, format!("注：{n}"), &st.note)?;
    }
    ws.set_row_height(2, 48)?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 6)?;
    for i in 0..t.cols.len() {
        ws.set_column_width((i + 2) as u16, 11)?;
    }
    ws.set_freeze_panes(4, 2)?;
    Ok(())
}

/// The annual report as a workbook: a cover with the checks and the tables not
/// collected, one sheet per table in the form's layout, and the exception lists with
/// names.
pub fn annual_xlsx(named: &AnnualWithNames) -> Result<Vec<u8>, XlsxError> {
    let r = &named.report;
    let st = styles();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("封面和审核")?;
        ws.merge_range(
            0,
            0,
            0,
            3,
            &format!("{}年{}", r.year, r.definition),
            &st.title,
        )?;
        let meta = [
            ("填报单位", r.org_name.clone()),
            (
                "统计时期",
                format!("{} 至 {}", r.period_start, r.period_end),
            ),
            ("表式依据", r.source.clone()),
        ];
        for (i, (k, v)) in meta.iter().enumerate() {
            ws.write_with_format(2 + i as u32, 0, *k, &st.head)?;
            ws.merge_range(2 + i as u32, 1, 2 + i as u32, 3, v, &st.cell)?;
        }
        let mut row = 6u32;
        ws.write_with_format(row, 0, "表内表间审核", &st.head)?;
        ws.write_with_format(row, 1, "结果", &st.head)?;
        ws.merge_range(row, 2, row, 3, "不符之处", &st.head)?;
        for c in &r.checks {
            row += 1;
            ws.write_with_format(row, 0, &c.rule, &st.cell)?;
            ws.write_with_format(row, 1, if c.ok { "通过" } else { "不符" }, &st.cell)?;
            ws.merge_range(row, 2, row, 3, &c.failures.join("；"), &st.cell)?;
        }
        row += 2;
        ws.write_with_format(row, 0, "暂不生成的表", &st.head)?;
        ws.merge_range(row, 1, row, 3, "原因", &st.head)?;
        for t in r
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::NotCollected)
        {
            row += 1;
            ws.write_with_format(row, 0, format!("{} {}", t.code, t.title), &st.cell)?;
            ws.merge_range(row, 1, row, 3, t.reason.as_deref().unwrap_or(""), &st.cell)?;
        }
        ws.set_column_width(0, 48)?;
        ws.set_column_width(1, 10)?;
        ws.set_column_width(2, 40)?;
        ws.set_column_width(3, 40)?;
    }
    for t in computed(r) {
        let ws = wb.add_worksheet();
        ws.set_name(&t.code)?;
        table_sheet(ws, r, t, &st)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("名单")?;
    let heads = [
        "名单",
        "序号",
        "姓名",
        "性别",
        "出生日期",
        "所在党组织",
        "事项",
        "日期",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &st.head)?;
    }
    let mut row = 1u32;
    for l in &named.lists {
        let rows = &l.items;
        if rows.is_empty() {
            ws.write_with_format(row, 0, format!("{} {}", l.code, l.title), &st.cell)?;
            ws.write_with_format(row, 2, "（无）", &st.cell)?;
            row += 1;
        }
        for (i, h) in rows.iter().enumerate() {
            let vals = [
                format!("{} {}", l.code, l.title),
                (i + 1).to_string(),
                h.name.clone(),
                h.gender.clone(),
                h.birth_date.clone(),
                h.org_name.clone().unwrap_or_default(),
                h.event_label.clone().unwrap_or_default(),
                h.date.clone().unwrap_or_default(),
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.write_with_format(row, c as u16, v.as_str(), &st.cell)?;
            }
            row += 1;
        }
    }
    for (c, w) in [40, 6, 10, 6, 12, 30, 14, 12].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save_to_buffer()
}

/// The rating ledger (分类管理台账) as a workbook: one row per org with last year's and this
/// year's tier, the score, the movement, the award and whether it must rectify.
pub fn ledger_xlsx(
    org_name: &str,
    year: i32,
    rows: &[jiceng_store::rating::LedgerRow],
) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("分类管理台账")?;
    let heads = [
        "序号",
        "党组织",
        "上年档次",
        "本年档次",
        "得分",
        "升降档",
        "晋位表彰",
        "需整改",
    ];
    ws.merge_range(
        0,
        0,
        0,
        (heads.len() - 1) as u16,
        &format!("{year}年度基层党组织分类管理台账"),
        &st.title,
    )?;
    ws.write_with_format(1, 0, format!("单位：{org_name}"), &st.sub)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_with_format(2, c as u16, *h, &st.head)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 3) as u32;
        let movement = match r.movement {
            Some(m) if m > 0 => format!("升{m}档"),
            Some(m) if m < 0 => format!("降{}档", -m),
            Some(_) => "持平".into(),
            None => "首次评定".into(),
        };
        ws.write_with_format(row, 0, (i + 1) as f64, &st.num)?;
        ws.write_with_format(row, 1, &r.org_name, &st.cell)?;
        ws.write_with_format(row, 2, r.last_tier.as_deref().unwrap_or(""), &st.cell)?;
        ws.write_with_format(row, 3, &r.tier, &st.cell)?;
        ws.write_with_format(row, 4, r.total as f64, &st.num)?;
        ws.write_with_format(row, 5, movement, &st.cell)?;
        ws.write_with_format(row, 6, if r.award { "是" } else { "" }, &st.cell)?;
        ws.write_with_format(row, 7, if r.weak { "是" } else { "" }, &st.cell)?;
    }
    for (c, w) in [6, 36, 10, 10, 8, 10, 10, 8].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(3, 2)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_workbook_is_written() {
        let rows = vec![jiceng_store::rating::LedgerRow {
            org_id: 1,
            org_name: "一村党支部".into(),
            tier: "标兵".into(),
            total: 95,
            last_tier: Some("达标".into()),
            movement: Some(2),
            award: true,
            weak: false,
        }];
        let bytes = ledger_xlsx("某县委", 2012, &rows).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("党支部"), "党支部");
        assert_eq!(csv_line(&["1".into(), "x\ny".into()]), "1,\"x\ny\"\r\n");
    }
}
