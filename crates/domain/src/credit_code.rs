//! Unified social credit codes (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters: registration authority (1), entity category (2), the registering authority's
//! GB/T 2260 division code (3–8), the 9-character organization code (9–17) and a check
//! character (18), all from a 31-character alphabet without I, O, S, V and Z.
//!
//! Positions 1–2 may be letters (N… for rural collectives, Y… "other", A… military): unlike
//! python-stdnum we accept the whole alphabet there and require digits only in 3–8.

/// The 31 characters of the code; each one's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights `3^(i−1) mod 31` for positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a credit code was rejected. Messages are for people; `code()` is for programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Not 18 characters.
    #[error("统一社会信用代码位数不正确，应为 18 位")]
    Length,
    /// A character outside the code's alphabet.
    #[error("统一社会信用代码含有非法字符，只能使用数字和除 I、O、S、V、Z 以外的大写字母")]
    Charset,
    /// Positions 3–8 (the registering authority's division code) are not all digits.
    #[error("统一社会信用代码第 3 至 8 位（登记管理机关行政区划码）应为数字")]
    Region,
    /// The check character does not match the first 17 characters.
    #[error("统一社会信用代码校验位错误，应为 {expected}")]
    CheckDigit {
        /// The check character the first 17 characters call for.
        expected: char,
    },
}

impl CreditCodeError {
    /// Stable machine code for APIs and import reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length => "org.credit_code_length",
            Self::Charset => "org.credit_code_charset",
            Self::Region => "org.credit_code_region",
            Self::CheckDigit { .. } => "org.credit_code_check_digit",
        }
    }
}

/// Value (index in [`ALPHABET`]) of a character, upper case only.
fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// Character for a value 0–30.
fn char_of(v: u32) -> Option<char> {
    ALPHABET.chars().nth(usize::try_from(v).ok()?)
}

/// Check character over 17 upper-case alphabet characters; `None` unless the input is exactly
/// that. Positions 3–8 are not required to be digits here (the arithmetic does not care).
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    char_of((31 - sum % 31) % 31)
}

/// Validates a credit code and returns it normalized (trimmed, upper case).
///
/// Checks, in order: length, alphabet, digits in positions 3–8, check character.
/// The division code in 3–8 is not looked up: national registrations use `100000`, which is
/// not a province, and codes of abolished divisions stay valid.
pub fn validate(code: &str) -> Result<String, CreditCodeError> {
    let normalized = code.trim().to_ascii_uppercase();
    if normalized.chars().count() != 18 {
        return Err(CreditCodeError::Length);
    }
    if !normalized.chars().all(|c| value(c).is_some()) {
        return Err(CreditCodeError::Charset);
    }
    // All characters are ASCII from here on, so byte indexing is character indexing.
    if !normalized.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
        return Err(CreditCodeError::Region);
    }
    let expected = check_char(&normalized[..17]).ok_or(CreditCodeError::Charset)?;
    if !normalized.ends_with(expected) {
        return Err(CreditCodeError::CheckDigit { expected });
    }
    Ok(normalized)
}

/// Builds a valid code from its parts, for demo data and tests.
///
/// Each part is upper-cased, cut or padded with `0` to its width (2, 6, 9), and characters not
/// allowed in its positions become `0`, so the result always passes [`validate`].
pub fn generate(prefix2: &str, region6: &str, body9: &str) -> String {
    fn part<'a>(
        s: &'a str,
        width: usize,
        ok: impl Fn(char) -> bool + 'a,
    ) -> impl Iterator<Item = char> + 'a {
        s.chars()
            .map(|c| c.to_ascii_uppercase())
            .map(move |c| if ok(c) { c } else { '0' })
            .chain(std::iter::repeat('0'))
            .take(width)
    }
    let in_alphabet = |c: char| value(c).is_some();
    let mut out: String = part(prefix2, 2, in_alphabet)
        .chain(part(region6, 6, |c| c.is_ascii_digit()))
        .chain(part(body9, 9, in_alphabet))
        .collect();
    if let Some(c) = check_char(&out) {
        out.push(c);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weights_are_powers_of_three() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
        assert_eq!(ALPHABET.len(), 31);
        for banned in ['I', 'O', 'S', 'V', 'Z'] {
            assert!(!ALPHABET.contains(banned));
        }
    }

    #[test]
    fn worked_example() {
        assert_eq!(check_char("91110000600037341"), Some('L'));
        assert_eq!(
            validate("91110000600037341L").unwrap(),
            "91110000600037341L"
        );
        assert_eq!(
            validate(" 91110000600037341l ").unwrap(),
            "91110000600037341L"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(validate(""), Err(CreditCodeError::Length));
        assert_eq!(validate("91110000600037341"), Err(CreditCodeError::Length));
        assert_eq!(
            validate("91110000600037341LL"),
            Err(CreditCodeError::Length)
        );
        assert_eq!(
            validate("9111000060003734IL"),
            Err(CreditCodeError::Charset)
        );
        assert_eq!(
            validate("91110000600037341O"),
            Err(CreditCodeError::Charset)
        );
        assert_eq!(
            validate("9111000060003734１L"),
            Err(CreditCodeError::Charset)
        );
        assert_eq!(validate("911A0000600037341L"), Err(CreditCodeError::Region));
        let err = validate("911100006000373410").unwrap_err();
        assert_eq!(err, CreditCodeError::CheckDigit { expected: 'L' });
        assert_eq!(err.code(), "org.credit_code_check_digit");
        assert_eq!(err.to_string(), "统一社会信用代码校验位错误，应为 L");
    }

    #[test]
    fn letters_allowed_in_first_two_positions() {
        for prefix in ["N2", "Y1", "A1", "91", "53"] {
            let code = generate(prefix, "110105", "MA01ABCDE");
            assert_eq!(&code[..2], prefix);
            assert_eq!(validate(&code).unwrap(), code);
        }
    }

    #[test]
    fn generate_sanitizes_parts() {
        let code = generate("9", "11", "abc");
        assert_eq!(&code[..17], "90110000ABC000000");
        assert!(validate(&code).is_ok());
        let code = generate("I1", "11A105", "OOOOOOOOOX");
        assert_eq!(&code[..17], "01110105000000000");
        assert!(validate(&code).is_ok());
    }

    fn arb_code() -> impl Strategy<Value = String> {
        (
            "[0-9A-HJ-NPQRTUWXY]{2}",
            "[0-9]{6}",
            "[0-9A-HJ-NPQRTUWXY]{9}",
        )
            .prop_map(|(p, r, b)| generate(&p, &r, &b))
    }

    proptest! {
        #[test]
        fn generate_validate_round_trip(code in arb_code()) {
            prop_assert_eq!(code.len(), 18);
            prop_assert_eq!(validate(&code).unwrap(), code.clone());
            prop_assert_eq!(validate(&code.to_ascii_lowercase()).unwrap(), code);
        }

        #[test]
        fn single_character_corruption_rejected(code in arb_code()) {
            // Exhaustive over positions and replacement characters for each valid code.
            let chars: Vec<char> = code.chars().collect();
            for pos in 0..18 {
                for replacement in ALPHABET.chars() {
                    if chars[pos] == replacement {
                        continue;
                    }
                    let mut corrupted = chars.clone();
                    corrupted[pos] = replacement;
                    let corrupted: String = corrupted.into_iter().collect();
                    prop_assert!(validate(&corrupted).is_err(), "{} accepted", corrupted);
                }
            }
        }
    }
}
