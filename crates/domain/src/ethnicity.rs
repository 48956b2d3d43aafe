//! Ethnicity (民族), GB/T 3304-1991 codes.
//!
//! Imports carry codes, full names, short names and other systems' numbering, so
//! [`normalize`] maps all of them onto the standard code; the database stores only that.

/// The standard's table: codes 01–56 in the standard's order, then 97 and 98.
pub const ETHNICITIES: &[(&str, &str)] = &[
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
];

/// Code of 汉族, the only code that is not 少数民族 in the 年报.
pub const HAN: &str = "01";

/// Other spellings seen in imports and other systems, with the code they
/// mean. Older names of renamed groups are included because old ledgers still carry them.
const ALIASES: &[(&str, &str)] = &[
    ("其它", "97"),
    ("其他族", "97"),
    ("其它族", "97"),
    ("其他民族", "97"),
    ("未识别民族", "97"),
    ("未识别", "97"),
    ("外国血统", "98"),
    ("外国民族", "98"),
    ("外国血统中国籍", "98"),
    ("毛难族", "36"),
    ("崩龙族", "46"),
    ("蒙族", "02"),
    ("维族", "05"),
];

/// Name for a standard code (`"01"` → `"汉族"`); `None` for anything else, including the
/// legacy 57/58 (use [`normalize`] for those).
pub fn name(code: &str) -> Option<&'static str> {
    ETHNICITIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// Maps imported text to the standard code. Accepts:
///
/// * codes, with or without the leading zero (`"01"`, `"1"`);
/// * the legacy numbering 57 其他 / 58 外国血统中国籍人士 (→ 97 / 98);
/// * full names (`"汉族"`) and names without 族 (`"汉"`, `"蒙古"`);
/// * a few common variants (`"其它"`, `"外国血统"`, `"维族"`, …).
///
/// `None` for anything else; the importer then keeps the original text and asks.
pub fn normalize(input: &str) -> Option<&'static str> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()) {
        let code = match t.parse::<u8>().ok()? {
            57 => 97,
            58 => 98,
            n => n,
        };
        return ETHNICITIES
            .iter()
            .map(|(c, _)| *c)
            .find(|c| c.parse::<u8>().ok() == Some(code));
    }
    ETHNICITIES
        .iter()
        .find(|(_, n)| *n == t || n.strip_suffix('族') == Some(t))
        .map(|(c, _)| *c)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == t).map(|(_, c)| *c))
}

/// Whether a code counts as 少数民族 in the 年报: anything other than 01 汉族.
///
/// Names and legacy codes are normalized first, so `"汉族"` and `"1"` are not minorities;
/// text that cannot be normalized is, literally, "not 01" and so counts as a minority. Store
/// normalized codes so that this never happens.
pub fn is_minority(code: &str) -> bool {
    normalize(code).unwrap_or(code.trim()) != HAN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(ETHNICITIES.len(), 58);
        for (i, (code, name)) in ETHNICITIES.iter().take(56).enumerate() {
            assert_eq!(*code, format!("{:02}", i + 1));
            assert!(name.ends_with('族'), "{name}");
        }
        let mut names: Vec<_> = ETHNICITIES.iter().map(|(_, n)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 58);
        for (alias, code) in ALIASES {
            assert!(name(code).is_some(), "{alias}");
            assert!(!ETHNICITIES.iter().any(|(_, n)| n == alias), "{alias}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(name("01"), Some("汉族"));
        assert_eq!(name("56"), Some("基诺族"));
        assert_eq!(name("97"), Some("其他"));
        assert_eq!(name("98"), Some("外国血统中国籍人士"));
        assert_eq!(name("57"), None);
        assert_eq!(name("1"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn normalize_accepts_every_form() {
        for (code, full) in ETHNICITIES {
            assert_eq!(normalize(code), Some(*code));
            assert_eq!(normalize(full), Some(*code));
            if let Some(short) = full.strip_suffix('族') {
                assert_eq!(normalize(short), Some(*code), "{short}");
            }
        }
        assert_eq!(normalize(" 汉族 "), Some("01"));
        assert_eq!(normalize("汉"), Some("01"));
        assert_eq!(normalize("蒙古"), Some("02"));
        assert_eq!(normalize("1"), Some("01"));
        assert_eq!(normalize("9"), Some("09"));
        assert_eq!(normalize("57"), Some("97"));
        assert_eq!(normalize("58"), Some("98"));
        assert_eq!(normalize("其他族"), Some("97"));
        assert_eq!(normalize("外国血统"), Some("98"));
        assert_eq!(normalize("外国民族"), Some("98"));
        assert_eq!(normalize("维族"), Some("05"));
    }

    #[test]
    fn normalize_rejects_unknowns() {
        for bad in [
            "",
            " ",
            "0",
            "00",
            "59",
            "96",
            "99",
            "001",
            "族",
            "火星族",
            "Han",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn minorities() {
        assert!(!is_minority("01"));
        assert!(!is_minority("汉族"));
        assert!(!is_minority("1"));
        assert!(is_minority("02"));
        assert!(is_minority("56"));
        assert!(is_minority("97"));
        assert!(is_minority("98"));
        assert!(is_minority("57"));
        assert!(is_minority("回"));
    }
}
