//! Citizen ID numbers (公民身份号码), GB 11643-1999.
//!
//! 18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men,
//! even for women) and an ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).
//!
//! The address code is deliberately *not* checked against a list of divisions: it is the
//! code in force when the number was assigned, and division codes are reassigned over time.
//! The same arithmetic covers HK/Macao/Taiwan residence permits
//! (810000/820000/830000) and the 2023-format foreigners' permanent-residence IDs (leading
//! `9`), so they are accepted too.

use chrono::{Datelike, NaiveDate};

use crate::member::Gender;

/// Weights `2^(18-i) mod 11` for positions 1–17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder `S mod 11`.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Earliest birth year accepted: older numbers cannot belong to a living person, and a year
/// this early is almost always a typing error.
pub const MIN_BIRTH_YEAR: i32 = 1880;

/// A parsed, valid ID number.
///
/// Not `Serialize` on purpose: the number is personal data and must go
/// out only through the masking and encryption paths, never by accident in a JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    /// 18 characters, upper-case `X`.
    pub normalized: String,
    /// Birth date encoded in positions 7–14.
    pub birth: NaiveDate,
    /// Sex from the parity of position 17.
    pub gender: Gender,
    /// The 6-digit address code (positions 1–6), as assigned; may no longer exist.
    pub region: String,
}

/// Why an ID number was rejected. Messages are for people (shown in the UI); `code()` is for
/// programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdCardError {
    /// Not 18 characters (or, for [`upgrade_15`], not 15).
    #[error("身份证号码位数不正确，应为 18 位")]
    Length,
    /// Characters other than 17 digits followed by a digit or `X`.
    #[error("身份证号码格式错误，前 17 位应为数字，最后一位为数字或 X")]
    Format,
    /// The check character does not match the first 17 digits.
    #[error("身份证号码校验位错误，应为 {expected}")]
    CheckDigit {
        /// The check character the first 17 digits call for.
        expected: char,
    },
    /// Positions 7–14 are not a real calendar date (or the year is before 1880).
    #[error("身份证号码中的出生日期无效")]
    BirthDate,
    /// The entered birth date disagrees with the one in the number.
    #[error("出生日期与身份证号码不一致，身份证号码中为 {in_id}")]
    BirthMismatch {
        /// The birth date encoded in the number.
        in_id: NaiveDate,
    },
    /// The entered sex disagrees with the parity of position 17.
    #[error("性别与身份证号码不一致")]
    GenderMismatch,
}

impl IdCardError {
    /// Stable machine code for APIs and import reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length => "member.id_card_length",
            Self::Format => "member.id_card_format",
            Self::CheckDigit { .. } => "member.id_card_check_digit",
            Self::BirthDate => "member.id_card_birth_date",
            Self::BirthMismatch { .. } => "member.id_card_birth_mismatch",
            Self::GenderMismatch => "member.id_card_gender_mismatch",
        }
    }
}

/// ISO 7064 MOD 11-2 check character over 17 ASCII digits; `None` unless the input is exactly
/// that.
pub fn check_digit(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

/// Parses and validates an 18-character ID number.
///
/// Surrounding whitespace is ignored and a lower-case `x` is accepted. Checks, in order: length,
/// character set, birth date, check character. The birth date is checked before the check
/// character because a typo that makes an impossible date is better reported as such.
pub fn parse(input: &str) -> Result<IdNumber, IdCardError> {
    let trimmed = input.trim();
    if trimmed.chars().count() != 18 {
        return Err(IdCardError::Length);
    }
    let normalized = trimmed.to_ascii_uppercase();
    let bytes = normalized.as_bytes();
    // 18 chars and 18 bytes after the length check means all ASCII only if the checks pass.
    if bytes.len() != 18
        || !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(IdCardError::Format);
    }
    let birth = birth_from_digits(&normalized[6..14])?;
    let expected = check_digit(&normalized[..17]).ok_or(IdCardError::Format)?;
    if char::from(bytes[17]) != expected {
        return Err(IdCardError::CheckDigit { expected });
    }
    let gender = if (bytes[16] - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdNumber {
        region: normalized[..6].to_string(),
        normalized,
        birth,
        gender,
    })
}

/// Birth date from `YYYYMMDD` ASCII digits.
fn birth_from_digits(ymd: &str) -> Result<NaiveDate, IdCardError> {
    let num = |r: std::ops::Range<usize>| ymd.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(4..6), num(6..8)) else {
        return Err(IdCardError::Format);
    };
    let year = i32::try_from(y).map_err(|_| IdCardError::BirthDate)?;
    if year < MIN_BIRTH_YEAR {
        return Err(IdCardError::BirthDate);
    }
    NaiveDate::from_ymd_opt(year, m, d).ok_or(IdCardError::BirthDate)
}

/// Converts a 15-digit first-generation number to 18 characters: "19" is inserted before the
/// two-digit year and the check character is appended. First-generation
/// numbers were only issued to people born in the 1900s, so the century is always 19.
///
/// Only for imports; the caller keeps the original text. The result always passes [`parse`].
pub fn upgrade_15(input: &str) -> Result<String, IdCardError> {
    let trimmed = input.trim();
    if trimmed.chars().count() != 15 {
        return Err(IdCardError::Length);
    }
    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdCardError::Format);
    }
    let first17 = format!("{}19{}", &trimmed[..6], &trimmed[6..]);
    birth_from_digits(&first17[6..14])?;
    let check = check_digit(&first17).ok_or(IdCardError::Format)?;
    let mut out = first17;
    out.push(check);
    Ok(out)
}

/// Cross-checks the birth date and sex entered on a form against the ID number.
/// The birth date is reported first.
pub fn check_against(id: &IdNumber, birth: NaiveDate, gender: Gender) -> Result<(), IdCardError> {
    if id.birth != birth {
        return Err(IdCardError::BirthMismatch { in_id: id.birth });
    }
    if id.gender != gender {
        return Err(IdCardError::GenderMismatch);
    }
    Ok(())
}

/// Builds a valid 18-character number, for demo data and tests.
///
/// * `region` should be 6 digits; non-digits become `0` and it is cut or zero-padded to 6.
/// * `seq` is taken modulo 1000; its last digit is moved by one to get the parity of `gender`
///   (odd for men, even for women), so the result never leaves 000–999.
/// * `birth` years outside 0–9999 are clamped to keep the layout (and [`parse`] rejects years
///   before 1880 anyway).
pub fn generate(region: &str, birth: NaiveDate, seq: u16, gender: Gender) -> String {
    let mut out: String = region
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { '0' })
        .chain(std::iter::repeat('0'))
        .take(6)
        .collect();
    let year = birth.year().clamp(0, 9999);
    out.push_str(&format!("{year:04}{:02}{:02}", birth.month(), birth.day()));
    let mut seq = seq % 1000;
    let odd = seq % 2 == 1;
    match gender {
        Gender::Male if !odd => seq += 1,
        Gender::Female if odd => seq -= 1,
        _ => {}
    }
    out.push_str(&format!("{seq:03}"));
    if let Some(c) = check_digit(&out) {
        out.push(c);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn worked_example() {
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        let id = parse("11010519491231002X").unwrap();
        assert_eq!(id.normalized, "11010519491231002X");
        assert_eq!(id.birth, d(1949, 12, 31));
        assert_eq!(id.gender, Gender::Female);
        assert_eq!(id.region, "110105");
    }

    #[test]
    fn lowercase_x_and_whitespace() {
        let id = parse("  11010519491231002x\t").unwrap();
        assert_eq!(id.normalized, "11010519491231002X");
    }

    #[test]
    fn wrong_check_digit_names_the_right_one() {
        let err = parse("110105194912310021").unwrap_err();
        assert_eq!(err, IdCardError::CheckDigit { expected: 'X' });
        assert_eq!(err.code(), "member.id_card_check_digit");
        assert_eq!(err.to_string(), "身份证号码校验位错误，应为 X");
    }

    #[test]
    fn length_and_format() {
        assert_eq!(parse(""), Err(IdCardError::Length));
        assert_eq!(parse("11010519491231002"), Err(IdCardError::Length));
        assert_eq!(parse("11010519491231002X1"), Err(IdCardError::Length));
        assert_eq!(parse("110105491231002"), Err(IdCardError::Length));
        assert_eq!(parse("1101051949123100X2"), Err(IdCardError::Format));
        assert_eq!(parse("11010519491231002Y"), Err(IdCardError::Format));
        // 18 characters but not 18 bytes.
        assert_eq!(parse("11010519491231002Ｘ"), Err(IdCardError::Format));
        assert_eq!(parse("一1010519491231002X"), Err(IdCardError::Format));
    }

    #[test]
    fn impossible_birth_dates() {
        // 29 Feb 1949 does not exist; give it a correct check so only the date fails.
        let first17 = "11010519490229002";
        let id = format!("{first17}{}", check_digit(first17).unwrap());
        assert_eq!(parse(&id), Err(IdCardError::BirthDate));
        // 29 Feb 1948 does.
        let first17 = "11010519480229002";
        let id = format!("{first17}{}", check_digit(first17).unwrap());
        assert_eq!(parse(&id).unwrap().birth, d(1948, 2, 29));
        for bad in ["18791231", "19491301", "19490100", "19490431"] {
            let first17 = format!("110105{bad}002");
            let id = format!("{first17}{}", check_digit(&first17).unwrap());
            assert_eq!(parse(&id), Err(IdCardError::BirthDate), "{bad}");
        }
        let first17 = "11010518800101001";
        let id = format!("{first17}{}", check_digit(first17).unwrap());
        assert!(parse(&id).is_ok());
    }

    #[test]
    fn upgrade_first_generation() {
        assert_eq!(upgrade_15("110105491231002").unwrap(), "11010519491231002X");
        assert_eq!(
            upgrade_15(" 110105491231002 ").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(upgrade_15("11010549123100"), Err(IdCardError::Length));
        assert_eq!(upgrade_15("11010519491231002X"), Err(IdCardError::Length));
        assert_eq!(upgrade_15("11010549123100X"), Err(IdCardError::Format));
        assert_eq!(upgrade_15("110105490229002"), Err(IdCardError::BirthDate));
    }

    #[test]
    fn cross_check() {
        let id = parse("11010519491231002X").unwrap();
        assert_eq!(check_against(&id, d(1949, 12, 31), Gender::Female), Ok(()));
        assert_eq!(
            check_against(&id, d(1949, 12, 30), Gender::Male),
            Err(IdCardError::BirthMismatch {
                in_id: d(1949, 12, 31)
            })
        );
        assert_eq!(
            check_against(&id, d(1949, 12, 31), Gender::Male),
            Err(IdCardError::GenderMismatch)
        );
        assert_eq!(
            IdCardError::BirthMismatch {
                in_id: d(1949, 12, 31)
            }
            .to_string(),
            "出生日期与身份证号码不一致，身份证号码中为 1949-12-31"
        );
    }

    #[test]
    fn residence_permits_and_old_regions_accepted() {
        for region in ["810000", "820000", "830000", "999999", "000000"] {
            let id = generate(region, d(1990, 5, 6), 12, Gender::Male);
            let parsed = parse(&id).unwrap();
            assert_eq!(parsed.region, region);
            assert_eq!(parsed.gender, Gender::Male);
        }
    }

    #[test]
    fn generate_edges() {
        assert_eq!(
            &generate("110105", d(1949, 12, 31), 2, Gender::Female)[14..],
            "002X"
        );
        assert_eq!(
            &generate("110105", d(1949, 12, 31), 2, Gender::Male)[14..17],
            "003"
        );
        assert_eq!(
            &generate("110105", d(1949, 12, 31), 999, Gender::Female)[14..17],
            "998"
        );
        assert_eq!(
            &generate("110105", d(1949, 12, 31), 998, Gender::Male)[14..17],
            "999"
        );
        assert_eq!(
            &generate("110105", d(1949, 12, 31), 1001, Gender::Female)[14..17],
            "000"
        );
        assert_eq!(
            &generate("11", d(1949, 12, 31), 1, Gender::Male)[..6],
            "110000"
        );
        assert_eq!(
            &generate("11a1059", d(1949, 12, 31), 1, Gender::Male)[..6],
            "110105"
        );
    }

    #[test]
    fn error_codes_are_distinct() {
        let all = [
            IdCardError::Length,
            IdCardError::Format,
            IdCardError::CheckDigit { expected: '1' },
            IdCardError::BirthDate,
            IdCardError::BirthMismatch {
                in_id: d(2000, 1, 1),
            },
            IdCardError::GenderMismatch,
        ];
        let mut codes: Vec<_> = all.iter().map(IdCardError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c.starts_with("member.id_card_")));
    }

    fn arb_birth() -> impl Strategy<Value = NaiveDate> {
        (1880i32..=2100, 1u32..=366)
            .prop_map(|(y, doy)| NaiveDate::from_yo_opt(y, doy).unwrap_or_else(|| d(y, 12, 31)))
    }

    fn arb_gender() -> impl Strategy<Value = Gender> {
        prop_oneof![Just(Gender::Male), Just(Gender::Female)]
    }

    proptest! {
        #[test]
        fn generate_parse_round_trip(
            region in "[0-9]{6}",
            birth in arb_birth(),
            seq in 0u16..=999,
            gender in arb_gender(),
        ) {
            let id = generate(&region, birth, seq, gender);
            prop_assert_eq!(id.len(), 18);
            let parsed = parse(&id).unwrap();
            prop_assert_eq!(&parsed.normalized, &id);
            prop_assert_eq!(parsed.birth, birth);
            prop_assert_eq!(parsed.gender, gender);
            prop_assert_eq!(&parsed.region, &region);
            prop_assert_eq!(check_against(&parsed, birth, gender), Ok(()));
        }

        #[test]
        fn every_single_character_corruption_is_rejected(
            region in "[0-9]{6}",
            birth in arb_birth(),
            seq in 0u16..=999,
            gender in arb_gender(),
        ) {
            // Exhaustive over positions and replacement characters for each valid number.
            let id = generate(&region, birth, seq, gender);
            let chars: Vec<char> = id.chars().collect();
            for pos in 0..18 {
                for replacement in "0123456789Xx".chars() {
                    if chars[pos].eq_ignore_ascii_case(&replacement) {
                        continue;
                    }
                    let mut corrupted = chars.clone();
                    corrupted[pos] = replacement;
                    let corrupted: String = corrupted.into_iter().collect();
                    prop_assert!(parse(&corrupted).is_err(), "{} accepted", corrupted);
                }
            }
        }

        #[test]
        fn upgrade_then_parse(
            region in "[0-9]{6}",
            yymmdd in (0u32..100, 1u32..=12, 1u32..=28),
            seq in "[0-9]{3}",
        ) {
            let (yy, mm, dd) = yymmdd;
            let old = format!("{region}{yy:02}{mm:02}{dd:02}{seq}");
            let new = upgrade_15(&old).unwrap();
            let parsed = parse(&new).unwrap();
            prop_assert_eq!(parsed.birth, d(1900 + yy as i32, mm, dd));
            prop_assert_eq!(&new[..6], &old[..6]);
            prop_assert_eq!(&new[14..17], &old[12..15]);
        }
    }
}
