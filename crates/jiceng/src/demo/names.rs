//! Demo names: a surname and a given name drawn from the given-name characters of the
//! person's gender (two lists that share no character, so that a name never reads as the
//! other gender's), by the era of birth, and never the same name with the same birth date
//! twice in one demo database.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use jiceng_domain::member::Gender;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Common surnames, most frequent first (weights roughly their national shares, ‰).
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 17),
    ("孙", 15),
    ("马", 15),
    ("朱", 13),
    ("胡", 13),
    ("郭", 12),
    ("何", 12),
    ("高", 11),
    ("林", 11),
    ("罗", 10),
    ("郑", 10),
    ("梁", 9),
    ("谢", 8),
    ("宋", 8),
    ("唐", 8),
    ("许", 7),
    ("韩", 7),
    ("冯", 7),
    ("邓", 7),
    ("曹", 7),
    ("彭", 6),
    ("曾", 6),
    ("肖", 6),
    ("田", 6),
    ("董", 5),
    ("袁", 5),
    ("潘", 5),
    ("于", 5),
    ("蒋", 5),
    ("蔡", 5),
    ("余", 5),
    ("杜", 5),
    ("叶", 5),
    ("程", 5),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("沈", 4),
    ("姚", 4),
    ("卢", 4),
    ("姜", 4),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("廖", 3),
    ("贾", 3),
    ("夏", 3),
    ("方", 3),
    ("孔", 2),
    ("芮", 5),
    ("濮", 4),
    ("邢", 2),
    ("诸", 2),
    ("端木", 1),
];

/// Given-name characters: `[era][gender][first, second]`; era 0 born before 1950, 1 before
/// 1970, 2 later; gender 0 male, 1 female. A single-character given name is drawn from the
/// second list. No character of a male list appears in any female list.
const GIVEN: [[[&str; 2]; 2]; 3] = [
    [
        [
            "德宝福根永正长有树国学仁庆家启世立广兆",
            "根宝生福林山才发祥贵成全元和清富喜堂忠",
        ],
        ["秀桂淑翠巧素彩月美", "英兰珍芳凤娣琴梅贞花"],
    ],
    [
        [
            "建国卫志新军向跃振永东继光胜伟先德",
            "国军平东明兵林强民忠武生勇进刚峰良斌",
        ],
        ["秀丽美晓桂凤素月", "梅英霞萍芳琴燕玲珍娟"],
    ],
    [
        [
            "志俊建立明家子国永宏亚浩",
            "伟强磊军勇杰涛斌波峰超鹏飞亮刚辉锋龙宇健",
        ],
        ["晓丽静雅婷慧佳雪美", "静丽娟燕敏婷倩霞芳艳洁莉"],
    ],
];

fn era(birth: NaiveDate) -> usize {
    if birth.year() < 1950 {
        0
    } else if birth.year() < 1970 {
        1
    } else {
        2
    }
}

fn gender_ix(g: Gender) -> usize {
    usize::from(g == Gender::Female)
}

/// Every given-name character of a gender, all eras.
#[cfg(test)]
pub fn given_chars(g: Gender) -> HashSet<char> {
    GIVEN
        .iter()
        .flat_map(|e| e[gender_ix(g)].iter().flat_map(|s| s.chars()))
        .collect()
}

/// The surname and the given name of a demo name (two-character surnames first).
#[cfg(test)]
pub fn split(name: &str) -> (&str, &str) {
    for (s, _) in SURNAMES.iter().filter(|(s, _)| s.chars().count() > 1) {
        if let Some(rest) = name.strip_prefix(s) {
            return (s, rest);
        }
    }
    let cut = name.char_indices().nth(1).map_or(name.len(), |(i, _)| i);
    (&name[..cut], &name[cut..])
}

/// The gender a demo given name belongs to: `Some` when every character is from that
/// gender's list (and so from none of the other's).
#[cfg(test)]
pub fn gender_of_given(given: &str) -> Option<Gender> {
    [Gender::Male, Gender::Female].into_iter().find(|g| {
        let chars = given_chars(*g);
        !given.is_empty() && given.chars().all(|c| chars.contains(&c))
    })
}

/// Draws demo names: deterministic for a seed, unique by (name, birth date).
pub struct Names {
    rng: StdRng,
    cumulative: Vec<u32>,
    taken: HashSet<(String, NaiveDate)>,
}

impl Names {
    /// A generator with its own random stream.
    pub fn new(seed: u64) -> Self {
        let mut total = 0;
        let cumulative = SURNAMES
            .iter()
            .map(|(_, w)| {
                total += w;
                total
            })
            .collect();
        Self {
            rng: StdRng::seed_from_u64(seed),
            cumulative,
            taken: HashSet::new(),
        }
    }

    /// Marks a (name, birth date) as used (e.g. people written by another generator).
    pub fn reserve(&mut self, name: &str, birth: NaiveDate) {
        self.taken.insert((name.to_string(), birth));
    }

    fn surname(&mut self) -> &'static str {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = self.rng.gen_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        SURNAMES.get(i).map_or("王", |s| s.0)
    }

    fn pick(&mut self, s: &str) -> char {
        let chars: Vec<char> = s.chars().collect();
        chars[self.rng.gen_range(0..chars.len())]
    }

    /// A name for a person of `gender` born on `birth`, not yet used with that birth date.
    pub fn draw(&mut self, gender: Gender, birth: NaiveDate) -> String {
        let era = era(birth);
        let [first, second] = GIVEN[era][gender_ix(gender)];
        let single_p = [0.1, 0.2, 0.3][era];
        loop {
            let surname = self.surname();
            let name = if self.rng.gen_bool(single_p) {
                format!("{surname}{}", self.pick(second))
            } else {
                let a = self.pick(first);
                let mut b = self.pick(second);
                while a == b {
                    b = self.pick(second);
                }
                format!("{surname}{a}{b}")
            };
            if self.taken.insert((name.clone(), birth)) {
                return name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gender_lists_share_no_character() {
        let m = given_chars(Gender::Male);
        let f = given_chars(Gender::Female);
        let both: Vec<&char> = m.intersection(&f).collect();
        assert!(both.is_empty(), "in both lists: {both:?}");
    }

    #[test]
    fn names_follow_gender_and_are_unique_with_the_birth_date() {
        let mut n = Names::new(7);
        let birth = NaiveDate::from_ymd_opt(1960, 5, 1).unwrap_or(NaiveDate::MIN);
        let mut seen = HashSet::new();
        for i in 0..3000 {
            let g = if i % 3 == 0 {
                Gender::Female
            } else {
                Gender::Male
            };
            let name = n.draw(g, birth);
            let (_, given) = split(&name);
            assert_eq!(gender_of_given(given), Some(g), "{name}");
            assert!(seen.insert(name.clone()), "{name} twice");
        }
    }

    #[test]
    fn split_knows_two_character_surnames() {
        assert_eq!(split("端木静"), ("端木", "静"));
        assert_eq!(split("王建国"), ("王", "建国"));
    }
}
