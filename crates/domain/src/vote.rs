//! Vote engine (表决): quorum, majority and base as independent parts.
//!
//! A [`Threshold`] is a comparison (`>` 超过/过半数, or `≥` 不少于/以上), a [`Fraction`] and a
//! [`Base`] (应到 entitled, 实到 present, 投票 cast, 有效票 valid). It is evaluated with exact
//! integer cross-multiplication in `u128`: `count × den > num × base` (or `≥`), never with
//! floating point, so that "exactly half" is decided the same way on every machine.
//!
//! A [`VoteRule`] pairs a quorum threshold (the present count against its base) with an
//! adoption threshold (the ayes against theirs), says whether written opinions of absent
//! members count and whether the ballot is secret, and cites its source. [`VOTE_RULES`] holds
//! the statutory votes.
//!
//! A [`Vote`] freezes the entitled and present lists when it opens; ballots are recorded
//! against them and [`Vote::tally`] gives a [`VoteResult`] with its derivation in words and
//! numbers. [`check`] computes the same result from counts alone (the secretaries' calculator).
//!
//! Counting convention: `ayes` are the ayes cast at the meeting; `written_ayes` are the ayes
//! in written opinions handed in before the meeting by entitled members who are absent
//! (细则 第二十一条). The adoption threshold compares their sum with its base.

use std::collections::{BTreeMap, BTreeSet};

use crate::coded_enum;
use crate::codes::Coded;

/// Strict or inclusive comparison. In Chinese rule texts 超过 and 过半数 are strict (`>`);
/// 以上, 不少于 and 达到 include the number (`≥`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Strictly greater (超过, 过半数).
    Gt,
    /// Greater or equal (以上, 不少于).
    Ge,
}

impl Comparison {
    /// The mathematical sign used in derivations.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => "≥",
        }
    }
    /// The Chinese verb used in rule descriptions.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Gt => "超过",
            Self::Ge => "不少于",
        }
    }
}

/// A fraction `num/den` (`den > 0`; a zero denominator is never met).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Fraction {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
}

impl Fraction {
    /// One half (半数).
    pub const HALF: Fraction = Fraction { num: 1, den: 2 };
    /// Two thirds (三分之二).
    pub const TWO_THIRDS: Fraction = Fraction { num: 2, den: 3 };
    /// Four fifths (五分之四).
    pub const FOUR_FIFTHS: Fraction = Fraction { num: 4, den: 5 };

    /// Chinese wording (半数, 三分之二, 五分之四, otherwise `num/den`).
    pub fn zh(self) -> String {
        match (self.num, self.den) {
            (1, 2) => "半数".to_string(),
            (2, 3) => "三分之二".to_string(),
            (4, 5) => "五分之四".to_string(),
            (1, 3) => "三分之一".to_string(),
            (n, d) => format!("{n}/{d}"),
        }
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

coded_enum! {
    /// What a threshold's fraction is taken of.
    Base {
        /// Those entitled to attend and vote (应到会有表决权的人数, 应到).
        Entitled = ("entitled", "应到人数"),
        /// Those present with the right to vote (实到).
        Present = ("present", "实到人数"),
        /// Ballots cast (投票人数).
        Cast = ("cast", "投票人数"),
        /// Valid ballots (有效票).
        Valid = ("valid", "有效票数"),
    }
}

impl Base {
    /// Short label used in derivations.
    pub fn short_zh(self) -> &'static str {
        match self {
            Self::Entitled => "应到",
            Self::Present => "实到",
            Self::Cast => "投票",
            Self::Valid => "有效票",
        }
    }
}

/// The four numbers a threshold can be measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Entitled (应到).
    pub entitled: u64,
    /// Present (实到).
    pub present: u64,
    /// Ballots cast.
    pub cast: u64,
    /// Valid ballots.
    pub valid: u64,
}

impl Counts {
    /// The number a base stands for.
    pub fn get(&self, base: Base) -> u64 {
        match base {
            Base::Entitled => self.entitled,
            Base::Present => self.present,
            Base::Cast => self.cast,
            Base::Valid => self.valid,
        }
    }
}

/// "count `cmp` frac × base".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Threshold {
    /// Strict or inclusive.
    pub cmp: Comparison,
    /// The fraction.
    pub frac: Fraction,
    /// What the fraction is taken of.
    pub base: Base,
}

impl Threshold {
    /// `count > frac × base`.
    pub const fn gt(frac: Fraction, base: Base) -> Self {
        Threshold {
            cmp: Comparison::Gt,
            frac,
            base,
        }
    }
    /// `count ≥ frac × base`.
    pub const fn ge(frac: Fraction, base: Base) -> Self {
        Threshold {
            cmp: Comparison::Ge,
            frac,
            base,
        }
    }

    /// Whether `count` meets the threshold: `count × den` against `num × base`, exactly.
    pub fn met(&self, count: u64, counts: &Counts) -> bool {
        if self.frac.den == 0 {
            return false;
        }
        let lhs = u128::from(count) * u128::from(self.frac.den);
        let rhs = u128::from(self.frac.num) * u128::from(counts.get(self.base));
        match self.cmp {
            Comparison::Gt => lhs > rhs,
            Comparison::Ge => lhs >= rhs,
        }
    }

    /// The smallest count that meets the threshold (`None` with a zero denominator or when
    /// it exceeds `u64`). `met(c)` holds exactly when `c ≥ minimum`.
    pub fn minimum(&self, counts: &Counts) -> Option<u64> {
        if self.frac.den == 0 {
            return None;
        }
        let p = u128::from(self.frac.num) * u128::from(counts.get(self.base));
        let d = u128::from(self.frac.den);
        let m = match self.cmp {
            Comparison::Gt => p / d + 1,
            Comparison::Ge => p.div_ceil(d),
        };
        u64::try_from(m).ok()
    }

    /// Chinese description, e.g. "实到人数超过应到人数的半数".
    pub fn describe(&self, subject: &str) -> String {
        format!(
            "{subject}{}{}的{}",
            self.cmp.zh(),
            self.base.zh(),
            self.frac.zh()
        )
    }

    /// Formula, e.g. "实到 > 应到×1/2".
    pub fn formula(&self, subject: &str) -> String {
        format!(
            "{subject} {} {}×{}",
            self.cmp.symbol(),
            self.base.short_zh(),
            self.frac
        )
    }

    /// Evaluates the threshold and keeps the numbers.
    pub fn evaluate(&self, count: u64, counts: &Counts) -> ThresholdCheck {
        ThresholdCheck {
            count,
            cmp: self.cmp,
            num: self.frac.num,
            den: self.frac.den,
            base: self.base,
            base_count: counts.get(self.base),
            minimum: self.minimum(counts),
            met: self.met(count, counts),
        }
    }
}

/// A threshold evaluated on numbers: the derivation as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ThresholdCheck {
    /// The count compared (present for the quorum, ayes for adoption).
    pub count: u64,
    /// Strict or inclusive.
    pub cmp: Comparison,
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
    /// Base.
    pub base: Base,
    /// The base's value.
    pub base_count: u64,
    /// Smallest count that would meet it.
    pub minimum: Option<u64>,
    /// Whether it is met.
    pub met: bool,
}

impl ThresholdCheck {
    /// "31 > 37×1/2 ✔".
    fn sentence(&self) -> String {
        format!(
            "{} {} {}×{}/{} {}",
            self.count,
            self.cmp.symbol(),
            self.base_count,
            self.num,
            self.den,
            if self.met { "✔" } else { "✘" }
        )
    }
}

/// One statutory vote: quorum, adoption, written opinions, ballot form, source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct VoteRule {
    /// Stable code (`development.admission`, …).
    pub code: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// Who must be present: the present count against this threshold.
    pub quorum: Threshold,
    /// Adoption: the ayes (with counted written opinions) against this threshold.
    pub adoption: Threshold,
    /// Whether written opinions of absent entitled members count among the ayes.
    pub written_opinions_count: bool,
    /// Whether the vote is by secret ballot (无记名投票).
    pub secret_ballot: bool,
    /// Document and article; says where the article or the number is not verified, or is
    /// local practice.
    pub source: &'static str,
}

impl VoteRule {
    /// Quorum in Chinese.
    pub fn quorum_zh(&self) -> String {
        format!(
            "{}（{}）",
            self.quorum.describe("到会人数"),
            self.quorum.formula("实到")
        )
    }
    /// Adoption in Chinese.
    pub fn adoption_zh(&self) -> String {
        let mut s = format!(
            "{}（{}）",
            self.adoption.describe("赞成票"),
            self.adoption.formula("赞成")
        );
        if self.written_opinions_count {
            s.push_str("；未到会者会前提交的书面意见计入票数");
        }
        if self.secret_ballot {
            s.push_str("；无记名投票");
        }
        s
    }
}

const DEV_SOURCE_ADMISSION: &str = "《中国共产党发展党员工作细则》（中办发〔2014〕34号）第二十条：有表决权的到会人数必须超过应到会有表决权人数的半数；第二十一条：赞成人数超过应到会有表决权的正式党员的半数，才能通过；因故不能到会的有表决权的正式党员，在会前正式向党支部提出书面意见的，统计在票数内；无记名投票，讨论两个以上的人入党时逐个表决";
const FOUR_TWO_SOURCE: &str = "“四议两公开”工作法（《中国共产党农村基层组织工作条例》（2019）规定）；到会人数与表决比例按地方实践，县级可按本地规定调整";

/// The statutory votes.
pub const VOTE_RULES: &[VoteRule] = &[
    VoteRule {
        code: "development.admission",
        name_zh: "支部大会讨论接收预备党员",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: true,
        secret_ballot: true,
        source: DEV_SOURCE_ADMISSION,
    },
    VoteRule {
        code: "development.conversion",
        name_zh: "支部大会讨论预备党员转为正式党员",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: true,
        secret_ballot: true,
        source: "《中国共产党发展党员工作细则》（中办发〔2014〕34号）第三十三条：预备党员转正由支部大会讨论通过，到会人数与表决规则同第二十条、第二十一条（接收预备党员）",
    },
    VoteRule {
        code: "party.election",
        name_zh: "党员大会选举（党的基层组织选举）",
        quorum: Threshold::gt(Fraction::FOUR_FIFTHS, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: true,
        source: "《中国共产党基层组织选举工作条例》（中共中央，2020-07-13）：有选举权的到会人数超过应到会人数的五分之四，会议有效；被选举人获得的赞成票超过应到会有选举权人数的半数，始得当选（部分地方手册作“含五分之四”，以条例原文为准，此处取“超过”）",
    },
    VoteRule {
        code: "four_two.proposal",
        name_zh: "四议两公开·村党组织提议（支委会）",
        quorum: Threshold::ge(Fraction::HALF, Base::Entitled),
        adoption: Threshold::ge(Fraction::TWO_THIRDS, Base::Present),
        written_opinions_count: false,
        secret_ballot: false,
        source: FOUR_TWO_SOURCE,
    },
    VoteRule {
        code: "four_two.joint_meeting",
        name_zh: "四议两公开·村“两委”会议商议",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::ge(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: false,
        source: FOUR_TWO_SOURCE,
    },
    VoteRule {
        code: "four_two.members_council",
        name_zh: "四议两公开·党员大会审议",
        quorum: Threshold::ge(Fraction::TWO_THIRDS, Base::Entitled),
        adoption: Threshold::ge(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: false,
        source: "“四议两公开”工作法（《中国共产党农村基层组织工作条例》（2019）规定）；到会不少于三分之二、赞成不少于应到人数半数按地方实践（另有实践文本作“超过应到人数半数”），县级可按本地规定调整",
    },
    VoteRule {
        code: "four_two.representatives",
        name_zh: "四议两公开·村民会议或村民代表会议决议",
        quorum: Threshold::ge(Fraction::TWO_THIRDS, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: true,
        source: "“四议两公开”工作法（地方实践）：三分之二以上代表到会，赞成超过全体代表半数，无记名投票；《中华人民共和国村民委员会组织法》第二十六条规定村民代表会议三分之二以上组成人员参加方可召开、决定经到会人员过半数同意，地方实践更严",
    },
    VoteRule {
        code: "committee.meeting",
        name_zh: "支部委员会会议",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: false,
        source: "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第十二条：支部委员会会议须有半数以上委员到会方可举行（此处取“超过半数”）；决定事项以超过应到会委员半数同意为通过（民主集中制通行做法）",
    },
    VoteRule {
        code: "member.removal",
        name_zh: "支部大会讨论党员除名（自行脱党）",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Entitled),
        written_opinions_count: false,
        secret_ballot: false,
        source: "《中国共产党章程》第九条：党员没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党；支部大会应当决定把这样的党员除名，并报上级党组织批准。到会与表决比例按支部大会通行规则（超过应到会有表决权党员的半数）",
    },
    VoteRule {
        code: "village.committee_election",
        name_zh: "村民委员会选举",
        quorum: Threshold::gt(Fraction::HALF, Base::Entitled),
        adoption: Threshold::gt(Fraction::HALF, Base::Cast),
        written_opinions_count: false,
        secret_ballot: true,
        source: "《中华人民共和国村民委员会组织法》第十五条：有登记参加选举的村民过半数投票，选举有效；候选人获得参加投票的村民过半数的选票，始得当选（应到＝登记参加选举的村民，实到＝参加投票的村民）",
    },
];

/// Looks a vote rule up by code.
pub fn vote_rule(code: &str) -> Option<&'static VoteRule> {
    VOTE_RULES.iter().find(|r| r.code == code)
}

/// Why a vote cannot be opened, recorded or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    /// No vote rule with this code.
    #[error("未知的表决规则：{0}")]
    UnknownRule(String),
    /// Nobody is entitled.
    #[error("应到人数必须大于 0")]
    NoEntitled,
    /// More present than entitled.
    #[error("实到人数（{present}）不能多于应到人数（{entitled}）")]
    PresentExceedsEntitled {
        /// Present.
        present: u64,
        /// Entitled.
        entitled: u64,
    },
    /// Someone present is not on the entitled list.
    #[error("实到名单中有 {0} 人不在应到名单内")]
    PresentNotEntitled(usize),
    /// More ayes than present.
    #[error("到会赞成人数（{ayes}）不能多于实到人数（{present}）")]
    AyesExceedPresent {
        /// Ayes at the meeting.
        ayes: u64,
        /// Present.
        present: u64,
    },
    /// More written ayes than absent entitled members.
    #[error("书面意见赞成人数（{written}）不能多于应到未到人数（{absent}）")]
    WrittenExceedsAbsent {
        /// Written ayes.
        written: u64,
        /// Entitled minus present.
        absent: u64,
    },
    /// The rule does not count written opinions.
    #[error("“{0}”不计书面意见，书面意见赞成人数应为 0")]
    WrittenNotCounted(&'static str),
    /// The voter is not on the present list.
    #[error("投票人不在实到名单内")]
    VoterNotPresent,
    /// A written opinion from someone present or not entitled.
    #[error("书面意见只能由应到而未到会的人员提交")]
    WrittenNotAbsent,
    /// The voter has already voted.
    #[error("该人员已投票或已提交书面意见")]
    DuplicateBallot,
}

impl VoteError {
    /// Stable code for APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownRule(_) => "vote.unknown_rule",
            Self::NoEntitled => "vote.no_entitled",
            Self::PresentExceedsEntitled { .. } => "vote.present_exceeds_entitled",
            Self::PresentNotEntitled(_) => "vote.present_not_entitled",
            Self::AyesExceedPresent { .. } => "vote.ayes_exceed_present",
            Self::WrittenExceedsAbsent { .. } => "vote.written_exceeds_absent",
            Self::WrittenNotCounted(_) => "vote.written_not_counted",
            Self::VoterNotPresent => "vote.voter_not_present",
            Self::WrittenNotAbsent => "vote.written_not_absent",
            Self::DuplicateBallot => "vote.duplicate_ballot",
        }
    }
}

coded_enum! {
    /// A ballot's choice.
    Choice {
        Aye = ("aye", "赞成"),
        Nay = ("nay", "反对"),
        Abstain = ("abstain", "弃权"),
        /// A spoilt ballot (废票): cast but not valid.
        Invalid = ("invalid", "废票"),
    }
}

/// The outcome of a vote with its derivation in words and numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VoteResult {
    /// Rule code.
    pub rule: &'static str,
    /// Quorum met (会议有效).
    pub quorum_met: bool,
    /// Adopted (quorum met and adoption threshold met).
    pub passed: bool,
    /// Entitled (应到).
    pub entitled: u64,
    /// Present (实到).
    pub present: u64,
    /// Ballots cast.
    pub cast: u64,
    /// Valid ballots.
    pub valid: u64,
    /// Ayes cast at the meeting.
    pub ayes: u64,
    /// Ayes in counted written opinions of absent members.
    pub written_ayes: u64,
    /// `ayes + written_ayes`: what the adoption threshold compares.
    pub total_ayes: u64,
    /// The quorum as numbers.
    pub quorum: ThresholdCheck,
    /// The adoption as numbers.
    pub adoption: ThresholdCheck,
    /// The derivation as a Chinese sentence.
    pub derivation_zh: String,
}

fn evaluate(rule: &VoteRule, counts: Counts, ayes: u64, written_ayes: u64) -> VoteResult {
    let total = ayes.saturating_add(written_ayes);
    let quorum = rule.quorum.evaluate(counts.present, &counts);
    let adoption = rule.adoption.evaluate(total, &counts);
    let passed = quorum.met && adoption.met;

    let mut s = format!("应到 {} 人，实到 {} 人", counts.entitled, counts.present);
    let uses = |b: Base| rule.quorum.base == b || rule.adoption.base == b;
    if uses(Base::Cast) {
        s.push_str(&format!("，投票 {} 人", counts.cast));
    }
    if uses(Base::Valid) {
        s.push_str(&format!("，有效票 {} 张", counts.valid));
    }
    s.push('，');
    s.push_str(&quorum.sentence());
    if !quorum.met {
        s.push_str(" 未达到法定人数，会议不能表决 → 不通过");
    } else {
        s.push_str(" 达到法定人数；赞成 ");
        s.push_str(&total.to_string());
        s.push_str(" 人");
        if written_ayes > 0 {
            s.push_str(&format!("（含书面意见 {written_ayes} 人）"));
        }
        s.push('，');
        s.push_str(&adoption.sentence());
        s.push_str(if passed {
            " → 通过"
        } else {
            " → 不通过"
        });
    }
    VoteResult {
        rule: rule.code,
        quorum_met: quorum.met,
        passed,
        entitled: counts.entitled,
        present: counts.present,
        cast: counts.cast,
        valid: counts.valid,
        ayes,
        written_ayes,
        total_ayes: total,
        quorum,
        adoption,
        derivation_zh: s,
    }
}

/// The calculator: a vote's result from counts alone. Every present member is taken to cast
/// a valid ballot (cast = valid = present). `ayes` are the ayes at the meeting,
/// `written_ayes` the ayes in written opinions of absent entitled members.
pub fn check(
    rule: &VoteRule,
    entitled: u64,
    present: u64,
    ayes: u64,
    written_ayes: u64,
) -> Result<VoteResult, VoteError> {
    if entitled == 0 {
        return Err(VoteError::NoEntitled);
    }
    if present > entitled {
        return Err(VoteError::PresentExceedsEntitled { present, entitled });
    }
    if ayes > present {
        return Err(VoteError::AyesExceedPresent { ayes, present });
    }
    if written_ayes > 0 && !rule.written_opinions_count {
        return Err(VoteError::WrittenNotCounted(rule.name_zh));
    }
    let absent = entitled - present;
    if written_ayes > absent {
        return Err(VoteError::WrittenExceedsAbsent {
            written: written_ayes,
            absent,
        });
    }
    let counts = Counts {
        entitled,
        present,
        cast: present,
        valid: present,
    };
    Ok(evaluate(rule, counts, ayes, written_ayes))
}

/// A vote in progress: the entitled and present lists are frozen when it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote<Id: Ord> {
    rule: VoteRule,
    entitled: BTreeSet<Id>,
    present: BTreeSet<Id>,
    ballots: BTreeMap<Id, Choice>,
    written: BTreeMap<Id, Choice>,
}

impl<Id: Ord + Clone> Vote<Id> {
    /// Opens a vote. `present` must be a subset of `entitled`, and `entitled` not empty.
    pub fn open(
        rule: &VoteRule,
        entitled: BTreeSet<Id>,
        present: BTreeSet<Id>,
    ) -> Result<Self, VoteError> {
        if entitled.is_empty() {
            return Err(VoteError::NoEntitled);
        }
        let outsiders = present.difference(&entitled).count();
        if outsiders > 0 {
            return Err(VoteError::PresentNotEntitled(outsiders));
        }
        Ok(Vote {
            rule: *rule,
            entitled,
            present,
            ballots: BTreeMap::new(),
            written: BTreeMap::new(),
        })
    }

    /// The rule.
    pub fn rule(&self) -> &VoteRule {
        &self.rule
    }
    /// The frozen entitled list.
    pub fn entitled(&self) -> &BTreeSet<Id> {
        &self.entitled
    }
    /// The frozen present list.
    pub fn present(&self) -> &BTreeSet<Id> {
        &self.present
    }

    /// Records the ballot of a present member (once).
    pub fn record(&mut self, voter: Id, choice: Choice) -> Result<(), VoteError> {
        if !self.present.contains(&voter) {
            return Err(VoteError::VoterNotPresent);
        }
        if self.ballots.contains_key(&voter) {
            return Err(VoteError::DuplicateBallot);
        }
        self.ballots.insert(voter, choice);
        Ok(())
    }

    /// Records the written opinion of an entitled member who is absent (once), where the
    /// rule counts written opinions.
    pub fn record_written(&mut self, voter: Id, choice: Choice) -> Result<(), VoteError> {
        if !self.rule.written_opinions_count {
            return Err(VoteError::WrittenNotCounted(self.rule.name_zh));
        }
        if !self.entitled.contains(&voter) || self.present.contains(&voter) {
            return Err(VoteError::WrittenNotAbsent);
        }
        if self.written.contains_key(&voter) {
            return Err(VoteError::DuplicateBallot);
        }
        self.written.insert(voter, choice);
        Ok(())
    }

    /// Counts the ballots. Ballots cast and valid ballots are those of the members present;
    /// written opinions count only among the ayes.
    pub fn tally(&self) -> VoteResult {
        let n = |x: usize| u64::try_from(x).unwrap_or(u64::MAX);
        let cast = n(self.ballots.len());
        let invalid = n(self
            .ballots
            .values()
            .filter(|c| **c == Choice::Invalid)
            .count());
        let ayes = n(self.ballots.values().filter(|c| **c == Choice::Aye).count());
        let written_ayes = n(self.written.values().filter(|c| **c == Choice::Aye).count());
        let counts = Counts {
            entitled: n(self.entitled.len()),
            present: n(self.present.len()),
            cast,
            valid: cast - invalid,
        };
        evaluate(&self.rule, counts, ayes, written_ayes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(code: &str) -> &'static VoteRule {
        vote_rule(code).unwrap()
    }

    fn passes(code: &str, e: u64, p: u64, a: u64, w: u64) -> (bool, bool) {
        let r = check(rule(code), e, p, a, w).unwrap();
        (r.quorum_met, r.passed)
    }

    #[test]
    fn table_is_complete_and_unique() {
        let required = [
            "development.admission",
            "development.conversion",
            "party.election",
            "four_two.proposal",
            "four_two.joint_meeting",
            "four_two.members_council",
            "four_two.representatives",
            "committee.meeting",
        ];
        for c in required {
            assert!(vote_rule(c).is_some(), "{c}");
        }
        let mut codes: Vec<_> = VOTE_RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), VOTE_RULES.len());
        for r in VOTE_RULES {
            assert!(!r.source.is_empty() && !r.name_zh.is_empty(), "{}", r.code);
            assert!(r.quorum.frac.den > 0 && r.adoption.frac.den > 0);
        }
        assert!(vote_rule("nope").is_none());
    }

    #[test]
    fn example_derivation() {
        // The derivation in words and numbers, as documented in docs/rules.md.
        let r = check(rule("development.admission"), 37, 31, 18, 2).unwrap();
        assert!(r.quorum_met && r.passed);
        assert_eq!(r.total_ayes, 20);
        assert_eq!(
            r.derivation_zh,
            "应到 37 人，实到 31 人，31 > 37×1/2 ✔ 达到法定人数；赞成 20 人（含书面意见 2 人），20 > 37×1/2 ✔ → 通过"
        );
        assert_eq!(r.quorum.minimum, Some(19));
        assert_eq!(r.adoption.minimum, Some(19));
    }

    #[test]
    fn failure_derivations() {
        let r = check(rule("development.admission"), 36, 18, 18, 0).unwrap();
        assert!(!r.quorum_met && !r.passed);
        assert_eq!(
            r.derivation_zh,
            "应到 36 人，实到 18 人，18 > 36×1/2 ✘ 未达到法定人数，会议不能表决 → 不通过"
        );
        let r = check(rule("development.admission"), 36, 30, 18, 0).unwrap();
        assert!(r.quorum_met && !r.passed);
        assert_eq!(
            r.derivation_zh,
            "应到 36 人，实到 30 人，30 > 36×1/2 ✔ 达到法定人数；赞成 18 人，18 > 36×1/2 ✘ → 不通过"
        );
        let r = check(rule("four_two.proposal"), 9, 9, 6, 0).unwrap();
        assert_eq!(
            r.derivation_zh,
            "应到 9 人，实到 9 人，9 ≥ 9×1/2 ✔ 达到法定人数；赞成 6 人，6 ≥ 9×2/3 ✔ → 通过"
        );
        let r = check(rule("village.committee_election"), 1000, 600, 301, 0).unwrap();
        assert_eq!(
            r.derivation_zh,
            "应到 1000 人，实到 600 人，投票 600 人，600 > 1000×1/2 ✔ 达到法定人数；赞成 301 人，301 > 600×1/2 ✔ → 通过"
        );
    }

    #[test]
    fn development_boundaries() {
        for code in ["development.admission", "development.conversion"] {
            // Quorum > ½ of 36: 18 fails, 19 passes.
            assert_eq!(passes(code, 36, 18, 18, 0), (false, false));
            assert_eq!(passes(code, 36, 19, 19, 0), (true, true));
            // Adoption > ½ of those entitled, not of those present.
            assert_eq!(passes(code, 36, 19, 18, 0), (true, false));
            assert_eq!(passes(code, 36, 30, 18, 0), (true, false));
            assert_eq!(passes(code, 36, 30, 18, 1), (true, true));
            // Odd base: > 18.5.
            assert_eq!(passes(code, 37, 19, 19, 0), (true, true));
            assert_eq!(passes(code, 37, 18, 18, 0), (false, false));
            assert_eq!(passes(code, 37, 30, 18, 0), (true, false));
            // Written opinions cannot make up for a missing quorum.
            assert_eq!(passes(code, 36, 18, 18, 18), (false, false));
        }
    }

    #[test]
    fn election_boundaries() {
        let c = "party.election";
        // 4/5 of 37 = 29.6: 29 fails, 30 passes.
        assert!(!passes(c, 37, 29, 29, 0).0);
        assert_eq!(passes(c, 37, 30, 19, 0), (true, true));
        // 4/5 of 40 = 32 exactly: "超过" excludes 32.
        assert!(!passes(c, 40, 32, 32, 0).0);
        assert_eq!(passes(c, 40, 33, 20, 0), (true, false));
        assert_eq!(passes(c, 40, 33, 21, 0), (true, true));
        assert_eq!(
            check(rule(c), 40, 33, 21, 1).unwrap_err().code(),
            "vote.written_not_counted"
        );
    }

    #[test]
    fn four_two_boundaries() {
        // Proposal: ≥ ½ of the committee present; ≥ ⅔ of those present.
        let c = "four_two.proposal";
        assert_eq!(passes(c, 6, 3, 3, 0), (true, true));
        assert!(!passes(c, 6, 2, 2, 0).0);
        assert!(!passes(c, 7, 3, 3, 0).0);
        assert_eq!(passes(c, 7, 4, 3, 0), (true, true));
        assert_eq!(passes(c, 9, 9, 6, 0), (true, true));
        assert_eq!(passes(c, 9, 9, 5, 0), (true, false));
        // Joint meeting: > ½ present; ≥ ½ of those due.
        let c = "four_two.joint_meeting";
        assert!(!passes(c, 10, 5, 5, 0).0);
        assert_eq!(passes(c, 10, 6, 5, 0), (true, true));
        assert_eq!(passes(c, 10, 6, 4, 0), (true, false));
        // Members' council: ≥ ⅔ present; ≥ ½ of those due.
        let c = "four_two.members_council";
        assert!(!passes(c, 30, 19, 19, 0).0);
        assert_eq!(passes(c, 30, 20, 15, 0), (true, true));
        assert_eq!(passes(c, 30, 20, 14, 0), (true, false));
        assert!(!passes(c, 31, 20, 16, 0).0);
        assert_eq!(passes(c, 31, 21, 16, 0), (true, true));
        assert_eq!(passes(c, 31, 21, 15, 0), (true, false));
        // Representatives: ≥ ⅔ present; > ½ of all representatives.
        let c = "four_two.representatives";
        assert_eq!(passes(c, 30, 20, 16, 0), (true, true));
        assert_eq!(passes(c, 30, 20, 15, 0), (true, false));
        assert!(!passes(c, 30, 19, 19, 0).0);
        assert!(rule(c).secret_ballot);
    }

    #[test]
    fn committee_meeting_boundaries() {
        let c = "committee.meeting";
        assert!(!passes(c, 5, 2, 2, 0).0);
        assert_eq!(passes(c, 5, 3, 3, 0), (true, true));
        assert_eq!(passes(c, 5, 3, 2, 0), (true, false));
        assert!(!passes(c, 4, 2, 2, 0).0);
        assert_eq!(passes(c, 4, 3, 3, 0), (true, true));
        assert_eq!(passes(c, 4, 4, 2, 0), (true, false));
    }

    #[test]
    fn village_election_uses_votes_cast() {
        let c = "village.committee_election";
        assert!(!passes(c, 1000, 500, 500, 0).0);
        assert_eq!(passes(c, 1000, 501, 251, 0), (true, true));
        assert_eq!(passes(c, 1000, 501, 250, 0), (true, false));
    }

    #[test]
    fn calculator_validation() {
        let r = rule("development.admission");
        let code = |e, p, a, w| check(r, e, p, a, w).unwrap_err().code();
        assert_eq!(code(0, 0, 0, 0), "vote.no_entitled");
        assert_eq!(code(10, 11, 0, 0), "vote.present_exceeds_entitled");
        assert_eq!(code(10, 6, 7, 0), "vote.ayes_exceed_present");
        assert_eq!(code(10, 6, 6, 5), "vote.written_exceeds_absent");
        assert!(check(r, 10, 6, 6, 4).unwrap().passed);
        assert_eq!(
            check(r, 10, 11, 0, 0).unwrap_err().to_string(),
            "实到人数（11）不能多于应到人数（10）"
        );
    }

    #[test]
    fn threshold_arithmetic_is_exact_at_extremes() {
        let big = Counts {
            entitled: u64::MAX,
            present: u64::MAX,
            cast: u64::MAX,
            valid: u64::MAX,
        };
        let t = Threshold::gt(Fraction::HALF, Base::Entitled);
        assert!(!t.met(u64::MAX / 2, &big));
        assert!(t.met(u64::MAX / 2 + 1, &big));
        assert_eq!(t.minimum(&big), Some(u64::MAX / 2 + 1));
        let all = Threshold::gt(Fraction { num: 1, den: 1 }, Base::Entitled);
        assert_eq!(all.minimum(&big), None, "more than all of u64::MAX");
        assert!(!all.met(u64::MAX, &big));
        let zero = Threshold::ge(Fraction { num: 1, den: 0 }, Base::Present);
        assert!(!zero.met(5, &big));
        assert_eq!(zero.minimum(&big), None);
    }

    #[test]
    fn descriptions() {
        let r = rule("development.admission");
        assert_eq!(
            r.quorum_zh(),
            "到会人数超过应到人数的半数（实到 > 应到×1/2）"
        );
        assert_eq!(
            r.adoption_zh(),
            "赞成票超过应到人数的半数（赞成 > 应到×1/2）；未到会者会前提交的书面意见计入票数；无记名投票"
        );
        assert_eq!(
            rule("four_two.proposal").adoption_zh(),
            "赞成票不少于实到人数的三分之二（赞成 ≥ 实到×2/3）"
        );
    }

    #[test]
    fn vote_lifecycle() {
        let r = rule("development.admission");
        let entitled: BTreeSet<u32> = (1..=10).collect();
        let present: BTreeSet<u32> = (1..=6).collect();
        assert_eq!(
            Vote::open(r, entitled.clone(), (5..=11).collect()).unwrap_err(),
            VoteError::PresentNotEntitled(1)
        );
        assert_eq!(
            Vote::<u32>::open(r, BTreeSet::new(), BTreeSet::new()).unwrap_err(),
            VoteError::NoEntitled
        );
        let mut v = Vote::open(r, entitled, present).unwrap();
        for i in 1..=4 {
            v.record(i, Choice::Aye).unwrap();
        }
        v.record(5, Choice::Nay).unwrap();
        v.record(6, Choice::Invalid).unwrap();
        assert_eq!(v.record(6, Choice::Aye), Err(VoteError::DuplicateBallot));
        assert_eq!(v.record(7, Choice::Aye), Err(VoteError::VoterNotPresent));
        assert_eq!(
            v.record_written(3, Choice::Aye),
            Err(VoteError::WrittenNotAbsent)
        );
        assert_eq!(
            v.record_written(11, Choice::Aye),
            Err(VoteError::WrittenNotAbsent)
        );
        let t = v.tally();
        assert!(t.quorum_met && !t.passed);
        assert_eq!((t.cast, t.valid, t.ayes), (6, 5, 4));
        v.record_written(7, Choice::Aye).unwrap();
        v.record_written(8, Choice::Nay).unwrap();
        assert_eq!(
            v.record_written(7, Choice::Aye),
            Err(VoteError::DuplicateBallot)
        );
        let t = v.tally();
        assert_eq!((t.ayes, t.written_ayes, t.total_ayes), (4, 1, 5));
        assert!(!t.passed, "5 is not more than half of 10");
        v.record_written(9, Choice::Aye).unwrap();
        let t = v.tally();
        assert!(t.passed);
        assert_eq!(
            t,
            check(r, 10, 6, 4, 2)
                .map(|c| VoteResult {
                    cast: 6,
                    valid: 5,
                    ..c
                })
                .unwrap()
        );

        let mut e = Vote::open(
            rule("committee.meeting"),
            (1..=5).collect(),
            (1..=3).collect(),
        )
        .unwrap();
        assert_eq!(
            e.record_written(4, Choice::Aye),
            Err(VoteError::WrittenNotCounted("支部委员会会议"))
        );
        assert_eq!(e.present().len(), 3);
        assert_eq!(e.entitled().len(), 5);
        assert_eq!(e.rule().code, "committee.meeting");
    }

    fn arb_rule() -> impl Strategy<Value = &'static VoteRule> {
        prop::sample::select(VOTE_RULES.iter().collect::<Vec<_>>())
    }

    /// (entitled, present, ayes, written) valid for `rule`.
    fn arb_counts(rule: &'static VoteRule) -> impl Strategy<Value = (u64, u64, u64, u64)> {
        (1u64..400).prop_flat_map(move |e| {
            (0..=e).prop_flat_map(move |p| {
                let max_w = if rule.written_opinions_count {
                    e - p
                } else {
                    0
                };
                (Just(e), Just(p), 0..=p, 0..=max_w)
            })
        })
    }

    fn arb_case() -> impl Strategy<Value = (&'static VoteRule, (u64, u64, u64, u64))> {
        arb_rule().prop_flat_map(|r| (Just(r), arb_counts(r)))
    }

    fn arb_choice() -> impl Strategy<Value = Choice> {
        prop::sample::select(Choice::ALL.to_vec())
    }

    fn arb_frac() -> impl Strategy<Value = Fraction> {
        (1u64..=10).prop_flat_map(|d| (0..=d).prop_map(move |n| Fraction { num: n, den: d }))
    }

    fn arb_threshold() -> impl Strategy<Value = Threshold> {
        (
            any::<bool>(),
            arb_frac(),
            prop::sample::select(Base::ALL.to_vec()),
        )
            .prop_map(|(gt, frac, base)| {
                if gt {
                    Threshold::gt(frac, base)
                } else {
                    Threshold::ge(frac, base)
                }
            })
    }

    proptest! {
        #[test]
        fn ballot_order_does_not_matter(
            r in arb_rule(),
            choices in prop::collection::vec(arb_choice(), 1..60),
            written in prop::collection::vec(arb_choice(), 0..20),
            seed in any::<u64>(),
        ) {
            let n = choices.len() as u32;
            let w = if r.written_opinions_count { written.len() as u32 } else { 0 };
            let entitled: BTreeSet<u32> = (0..n + w + 3).collect();
            let present: BTreeSet<u32> = (0..n).collect();
            let mut order: Vec<(u32, Choice, bool)> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| (i as u32, *c, false))
                .chain(written.iter().take(w as usize).enumerate().map(|(i, c)| (n + i as u32, *c, true)))
                .collect();
            let tally = |order: &[(u32, Choice, bool)]| {
                let mut v = Vote::open(r, entitled.clone(), present.clone()).unwrap();
                for (id, c, wr) in order {
                    if *wr { v.record_written(*id, *c).unwrap() } else { v.record(*id, *c).unwrap() }
                }
                v.tally()
            };
            let first = tally(&order);
            // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
            let mut s = seed;
            for i in (1..order.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = (s >> 33) as usize % (i + 1);
                order.swap(i, j);
            }
            prop_assert_eq!(tally(&order), first.clone());
            order.reverse();
            prop_assert_eq!(tally(&order), first);
        }

        #[test]
        fn one_more_aye_never_turns_pass_into_fail((r, (e, p, a, w)) in arb_case()) {
            let before = check(r, e, p, a, w).unwrap();
            if a < p {
                let after = check(r, e, p, a + 1, w).unwrap();
                prop_assert!(!before.passed || after.passed);
                prop_assert_eq!(before.quorum_met, after.quorum_met);
            }
            if r.written_opinions_count && w < e - p {
                let after = check(r, e, p, a, w + 1).unwrap();
                prop_assert!(!before.passed || after.passed);
            }
        }

        #[test]
        fn one_more_present_never_breaks_quorum((r, (e, p, a, w)) in arb_case()) {
            prop_assume!(p < e);
            let before = check(r, e, p, a, w).unwrap();
            // The newcomer votes aye: a pass stays a pass (whatever the base).
            let w1 = w.min(e - p - 1);
            let after = check(r, e, p + 1, a + 1, w1).unwrap();
            prop_assert!(!before.quorum_met || after.quorum_met);
            if w1 == w {
                prop_assert!(!before.passed || after.passed);
            }
            // The newcomer abstains: the quorum still holds.
            let abstain = check(r, e, p + 1, a, w1).unwrap();
            prop_assert!(!before.quorum_met || abstain.quorum_met);
            if r.adoption.base == Base::Entitled && w1 == w {
                prop_assert!(!before.passed || abstain.passed);
            }
        }

        #[test]
        fn passed_implies_quorum_and_adoption((r, (e, p, a, w)) in arb_case()) {
            let res = check(r, e, p, a, w).unwrap();
            prop_assert_eq!(res.passed, res.quorum.met && res.adoption.met);
            prop_assert_eq!(res.quorum.count, p);
            prop_assert_eq!(res.adoption.count, a + w);
            let head = format!("应到 {} 人，实到 {} 人", e, p);
            prop_assert!(res.derivation_zh.starts_with(&head));
            let tail = if res.passed { "→ 通过" } else { "→ 不通过" };
            prop_assert!(res.derivation_zh.ends_with(tail));
        }

        #[test]
        fn boundary_fractions_separate_gt_from_ge(k in 0u64..1_000_000, which in 0usize..3) {
            let frac = [Fraction::HALF, Fraction::TWO_THIRDS, Fraction::FOUR_FIFTHS][which];
            // A base that makes frac × base an integer: exactly on the line.
            let base = k * frac.den;
            let exact = k * frac.num;
            let counts = Counts { entitled: base, present: base, cast: base, valid: base };
            let gt = Threshold::gt(frac, Base::Entitled);
            let ge = Threshold::ge(frac, Base::Entitled);
            prop_assert!(!gt.met(exact, &counts));
            prop_assert!(ge.met(exact, &counts));
            prop_assert!(gt.met(exact + 1, &counts) && ge.met(exact + 1, &counts));
            if exact > 0 {
                prop_assert!(!gt.met(exact - 1, &counts) && !ge.met(exact - 1, &counts));
            }
            // Off the line (base not a multiple of den): > and ≥ agree.
            for off in 1..frac.den {
                let b = base + off;
                let c = Counts { entitled: b, ..counts };
                for x in exact.saturating_sub(2)..exact + 4 {
                    prop_assert_eq!(gt.met(x, &c), ge.met(x, &c));
                }
            }
        }

        #[test]
        fn minimum_is_the_boundary(t in arb_threshold(), b in 0u64..10_000, x in 0u64..12_000) {
            let counts = Counts { entitled: b, present: b, cast: b, valid: b };
            let m = t.minimum(&counts).unwrap();
            prop_assert_eq!(t.met(x, &counts), x >= m);
            prop_assert!(t.met(m, &counts));
            if m > 0 {
                prop_assert!(!t.met(m - 1, &counts));
            }
        }

        #[test]
        fn threshold_is_monotone_in_count(t in arb_threshold(), b in any::<u64>(), x in any::<u64>()) {
            let counts = Counts { entitled: b, present: b, cast: b, valid: b };
            if x < u64::MAX && t.met(x, &counts) {
                prop_assert!(t.met(x + 1, &counts));
            }
        }
    }
}
