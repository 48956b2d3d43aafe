//! Pinyin search keys for names (张三 → `zs`).
//!
//! Keys are plain lower-case ASCII so that the database can index them and a `LIKE` prefix
//! search works. Chinese characters become pinyin (without tones, `ü` written `v` as on
//! keyboards); ASCII letters and digits are kept, lower-cased (full-width ones are folded to
//! ASCII first); everything else (spaces, `·` in transliterated names, punctuation) is skipped.
//!
//! The dictionary gives each character its most common reading, which is wrong for several
//! surnames (单 is dan, but the surname is shan). A small table fixes the *first* character
//! (or a compound surname) only: elsewhere in a name the common reading is the better guess.

use pinyin::ToPinyin;

/// Surnames whose reading differs from the character's most common one. Compound surnames
/// come first so that they win over their first character.
const SURNAMES: &[(&str, &[&str])] = &[
    ("尉迟", &["yu", "chi"]),
    ("万俟", &["mo", "qi"]),
    ("澹台", &["tan", "tai"]),
    ("单", &["shan"]),
    ("曾", &["zeng"]),
    ("解", &["xie"]),
    ("仇", &["qiu"]),
    ("区", &["ou"]),
    ("朴", &["piao"]),
    ("查", &["zha"]),
    ("覃", &["qin"]),
    ("翟", &["zhai"]),
    ("乐", &["yue"]),
    ("缪", &["miao"]),
    ("盖", &["ge"]),
    ("召", &["shao"]),
    ("种", &["chong"]),
    ("秘", &["bi"]),
    ("折", &["she"]),
    ("员", &["yun"]),
    ("薄", &["bo"]),
    ("繁", &["po"]),
    ("句", &["gou"]),
    ("阚", &["kan"]),
    ("隗", &["wei"]),
];

/// One unit of a key: a Chinese syllable or a kept ASCII character.
enum Token {
    Syllable(&'static str),
    Char(char),
}

/// Folds full-width ASCII letters and digits to ASCII and lower-cases; `None` for characters
/// that are not letters or digits.
fn ascii_alnum(c: char) -> Option<char> {
    let c = match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0)?
        }
        _ => c,
    };
    c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
}

/// The ASCII letters of a plain syllable: `ü` is written `v`, `ê` `e`; anything else that is
/// not a lower-case ASCII letter is dropped so that keys stay plain ASCII.
fn letters(syllable: &str) -> impl Iterator<Item = char> + '_ {
    syllable.chars().filter_map(|c| match c {
        'ü' => Some('v'),
        'ê' => Some('e'),
        'a'..='z' => Some(c),
        _ => None,
    })
}

fn tokens(name: &str) -> Vec<Token> {
    let name = name.trim_start();
    let mut out = Vec::with_capacity(name.chars().count());
    let mut rest = name;
    if let Some((surname, syllables)) = SURNAMES.iter().find(|(s, _)| name.starts_with(s)) {
        out.extend(syllables.iter().map(|s| Token::Syllable(s)));
        rest = &name[surname.len()..];
    }
    for c in rest.chars() {
        if let Some(a) = ascii_alnum(c) {
            out.push(Token::Char(a));
        } else if let Some(p) = c.to_pinyin() {
            if letters(p.plain()).next().is_some() {
                out.push(Token::Syllable(p.plain()));
            }
        }
    }
    out
}

/// Initials: one letter per Chinese character, ASCII letters and digits kept
/// (`张三` → `zs`, `李明 ABC` → `lmabc`).
pub fn initials(name: &str) -> String {
    tokens(name)
        .into_iter()
        .filter_map(|t| match t {
            Token::Syllable(s) => letters(s).next(),
            Token::Char(c) => Some(c),
        })
        .collect()
}

/// Full pinyin without tones or separators (`张三` → `zhangsan`, `吕` → `lv`).
pub fn full(name: &str) -> String {
    let mut out = String::new();
    for t in tokens(name) {
        match t {
            Token::Syllable(s) => out.extend(letters(s)),
            Token::Char(c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples_from_the_brief() {
        assert_eq!(initials("张三"), "zs");
        assert_eq!(initials("单田芳"), "stf");
        assert_eq!(initials("曾国藩"), "zgf");
        assert_eq!(initials("李明 ABC"), "lmabc");
        assert_eq!(full("张三"), "zhangsan");
        assert_eq!(full("单田芳"), "shantianfang");
        assert_eq!(full("曾国藩"), "zengguofan");
    }

    #[test]
    fn surname_overrides_apply_only_at_the_start() {
        assert_eq!(full("解晓东"), "xiexiaodong");
        assert_eq!(full("仇英"), "qiuying");
        assert_eq!(full("区志"), "ouzhi");
        assert_eq!(full("朴树"), "piaoshu");
        assert_eq!(full("查良镛"), "zhaliangyong");
        assert_eq!(full("覃明"), "qinming");
        assert_eq!(full("翟林"), "zhailin");
        assert_eq!(full("乐嘉"), "yuejia");
        assert_eq!(initials("尉迟恭"), "ycg");
        assert_eq!(full("尉迟恭"), "yuchigong");
        assert_eq!(initials("万俟卨"), "mqx");
        // Not the first character: the common reading.
        assert_eq!(full("王单"), "wangdan");
        assert_eq!(initials("李曾"), "lc");
        // Leading whitespace does not hide the surname.
        assert_eq!(initials("  单田芳"), "stf");
    }

    #[test]
    fn other_characters() {
        assert_eq!(full("吕"), "lv");
        assert_eq!(initials("吕女"), "ln");
        assert_eq!(initials("阿依古丽·买买提"), "ayglmmt");
        assert_eq!(initials("张三2"), "zs2");
        assert_eq!(initials("ＡＢ１张"), "ab1z");
        assert_eq!(full("Li, Ming"), "liming");
        assert_eq!(initials(""), "");
        assert_eq!(initials("！？ "), "");
    }

    proptest! {
        #[test]
        fn keys_are_lowercase_ascii(s in "\\PC{0,12}") {
            let i = initials(&s);
            let f = full(&s);
            prop_assert!(i.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{}", i);
            prop_assert!(f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{}", f);
            prop_assert!(i.len() <= f.len());
            prop_assert_eq!(i.is_empty(), f.is_empty());
        }

        #[test]
        fn ascii_is_kept_lowercased(s in "[A-Za-z0-9]{0,12}") {
            prop_assert_eq!(initials(&s), s.to_ascii_lowercase());
            prop_assert_eq!(full(&s), s.to_ascii_lowercase());
        }

        #[test]
        fn one_initial_per_han_character(s in "[张王李赵刘陈杨黄周吴]{1,6}") {
            let i = initials(&s);
            prop_assert_eq!(i.chars().count(), s.chars().count());
            prop_assert!(full(&s).starts_with(&i[..1]));
        }
    }
}
