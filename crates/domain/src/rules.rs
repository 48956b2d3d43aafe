//! Rule sets as data (docs/rules.md): each central set has a name, an effective
//! date and parameters; each parameter has its default, unit and source (document and
//! article). A county or province adds an [`Overlay`] of local values and
//! local rules, effective from a date; [`resolve`] picks the newest overlay in force over the
//! central default.
//!
//! Sources cite the official document (title, article where known, date) and name local
//! practice or platform settings as such; they never carry working notes (a test checks the
//! whole registry: rule sets, vote rules, structure warnings and calendar years). Local rules (a 公示 before listing as
//! activist, six months between application and activist, …) are not central: they belong in
//! overlays.
//!
//! The central sets hold the structural keys of [`crate::warnings::STRUCTURE_PARAM_SOURCES`]
//! with the same defaults and sources (a test keeps them in step).

use chrono::NaiveDate;

use crate::calendar::{self, ymd, CalendarError, WorkCalendar};
use crate::coded_enum;

coded_enum! {
    /// What a parameter's number counts.
    Unit {
        /// Calendar days (自然日).
        CalendarDays = ("calendar_days", "日"),
        /// Working days (工作日), counted on the [`WorkCalendar`].
        WorkingDays = ("working_days", "个工作日"),
        /// Months.
        Months = ("months", "个月"),
        /// Years.
        Years = ("years", "年"),
        /// Class hours (学时).
        Hours = ("hours", "学时"),
        /// A count of people, units or times.
        Count = ("count", "个（人、次）"),
        /// A ratio `num/den`.
        Ratio = ("ratio", "比例"),
        /// Yuan.
        Yuan = ("yuan", "元"),
        /// Fen (0.01 yuan), for amounts below one yuan.
        Fen = ("fen", "分"),
    }
}

impl Unit {
    /// Whether the unit measures a period (usable with [`due_date`]).
    pub fn is_period(self) -> bool {
        matches!(
            self,
            Self::CalendarDays | Self::WorkingDays | Self::Months | Self::Years
        )
    }
}

/// A parameter's value: an integer in its unit, or a ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// An integer (days, months, people, yuan, …).
    Int(i64),
    /// A ratio `num/den` (`den > 0`).
    Ratio {
        /// Numerator.
        num: u64,
        /// Denominator.
        den: u64,
    },
}

impl ParamValue {
    /// The integer, if it is one.
    pub fn as_int(self) -> Option<i64> {
        match self {
            Self::Int(v) => Some(v),
            Self::Ratio { .. } => None,
        }
    }
    /// Whether the value fits the unit (ratios with [`Unit::Ratio`] and a non-zero
    /// denominator, integers with every other unit).
    pub fn fits(self, unit: Unit) -> bool {
        match self {
            Self::Int(_) => unit != Unit::Ratio,
            Self::Ratio { den, .. } => unit == Unit::Ratio && den > 0,
        }
    }
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int(v) => write!(f, "{v}"),
            Self::Ratio { num, den } => write!(f, "{num}/{den}"),
        }
    }
}

/// One central parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RuleParam {
    /// Key in `rule_params` (`development.talk_within_months`, …).
    pub key: &'static str,
    /// Central default.
    pub default: ParamValue,
    /// Unit.
    pub unit: Unit,
    /// Document and article.
    pub source: &'static str,
    /// What the number means, in Chinese (comparison, exceptions).
    pub note: &'static str,
}

/// A central rule set: one document, in force from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RuleSet {
    /// Stable code (`development.2014`, …).
    pub code: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// In force from.
    pub effective: NaiveDate,
    /// The document (issuer, number, date).
    pub source_document: &'static str,
    /// Its parameters.
    pub params: &'static [RuleParam],
}

impl RuleSet {
    /// A parameter by key.
    pub fn param(&self, key: &str) -> Option<&'static RuleParam> {
        self.params.iter().find(|p| p.key == key)
    }
}

const fn int(
    key: &'static str,
    v: i64,
    unit: Unit,
    source: &'static str,
    note: &'static str,
) -> RuleParam {
    RuleParam {
        key,
        default: ParamValue::Int(v),
        unit,
        source,
        note,
    }
}

const fn ratio(
    key: &'static str,
    num: u64,
    den: u64,
    source: &'static str,
    note: &'static str,
) -> RuleParam {
    RuleParam {
        key,
        default: ParamValue::Ratio { num, den },
        unit: Unit::Ratio,
        source,
        note,
    }
}

// The tables below name units bare (`Months`, `WorkingDays`, …).
use Unit::*;

const DEVELOPMENT_2014: RuleSet = RuleSet {
    code: "development.2014",
    name_zh: "中国共产党发展党员工作细则",
    effective: ymd(2014, 5, 28),
    source_document:
        "《中国共产党发展党员工作细则》（中共中央办公厅，中办发〔2014〕34号，2014-05-28印发）",
    params: &[
        int(
            "development.talk_within_months",
            1,
            Months,
            "《中国共产党发展党员工作细则》第七条",
            "党组织收到入党申请书后，应当在1个月内派人同入党申请人谈话",
        ),
        int(
            "development.contacts_min",
            1,
            Count,
            "《中国共产党发展党员工作细则》第九条",
            "党组织应当指定1至2名正式党员作为入党积极分子的培养联系人",
        ),
        int(
            "development.contacts_max",
            2,
            Count,
            "《中国共产党发展党员工作细则》第九条",
            "培养联系人最多2名",
        ),
        int(
            "development.activist_review_months",
            6,
            Months,
            "《中国共产党发展党员工作细则》第十一条",
            "党支部每半年对入党积极分子进行一次考察",
        ),
        int(
            "development.activist_training_years",
            1,
            Years,
            "《中国共产党发展党员工作细则》第十三条",
            "经过1年以上培养教育和考察、基本具备党员条件的入党积极分子，方可列为发展对象（≥）",
        ),
        int(
            "development.notice_working_days",
            5,
            WorkingDays,
            "《中国共产党发展党员工作细则》（发展对象公示）",
            "公示期不少于5个工作日（≥）；在确定积极分子、接收预备党员、转正时另行公示属地方规定",
        ),
        int(
            "development.training_days",
            3,
            CalendarDays,
            "《中国共产党发展党员工作细则》第三章（集中培训）",
            "发展对象集中培训时间一般不少于3天（≥），或不少于24学时",
        ),
        int(
            "development.training_hours",
            24,
            Hours,
            "《中国共产党发展党员工作细则》第三章（集中培训）",
            "集中培训不少于24学时（≥），或不少于3天",
        ),
        int(
            "development.introducers",
            2,
            Count,
            "《中国共产党发展党员工作细则》第十四条；《中国共产党章程》第五条",
            "入党介绍人为2名正式党员；受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人",
        ),
        int(
            "development.leave_within_months",
            3,
            Months,
            "《中国共产党发展党员工作细则》第十九条",
            "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续",
        ),
        int(
            "development.approval_months",
            3,
            Months,
            "《中国共产党发展党员工作细则》第二十五条",
            "基层党委应当在3个月内审批接收预备党员的决议，须集体讨论和表决",
        ),
        int(
            "development.approval_months_special",
            6,
            Months,
            "《中国共产党发展党员工作细则》第二十五条",
            "遇党组织换届等特殊情况，审批时间可适当延长，但不得超过6个月",
        ),
        int(
            "development.extension_min_months",
            6,
            Months,
            "《中国共产党章程》第七条；《中国共产党发展党员工作细则》第五章",
            "延长预备期不少于半年",
        ),
        int(
            "development.extension_max_months",
            12,
            Months,
            "《中国共产党章程》第七条",
            "延长预备期最长不超过1年",
        ),
        int(
            "development.extension_times",
            1,
            Count,
            "《中国共产党章程》第七条",
            "预备期只能延长一次",
        ),
        int(
            "development.conversion_approval_months",
            3,
            Months,
            "《中国共产党发展党员工作细则》第五章",
            "上级党委应当在3个月内审批预备党员转正",
        ),
    ],
};

const CONSTITUTION_2022: RuleSet = RuleSet {
    code: "constitution.2022",
    name_zh: "中国共产党章程",
    effective: ymd(2022, 10, 22),
    source_document: "《中国共产党章程》（中国共产党第二十次全国代表大会部分修改，2022-10-22通过）",
    params: &[
        int("member.min_age", 18, Years,
            "《中国共产党章程》第一条；《中国共产党发展党员工作细则》第五条",
            "年满18岁（≥）的中国工人、农民、军人、知识分子和其他社会阶层的先进分子可以申请入党；以递交入党申请书之日计"),
        int("member.probation_years", 1, Years,
            "《中国共产党章程》第七条",
            "预备期为1年，自支部大会通过其为预备党员之日算起；党龄从预备期满转为正式党员之日算起"),
        int("member.lapse_months", 6, Months,
            "《中国共产党章程》第九条",
            "连续6个月不参加党的组织生活、或不交纳党费、或不做党所分配的工作，又没有正当理由的，就被认为是自行脱党"),
    ],
};

const DUES_2008: RuleSet = RuleSet {
    code: "dues.2008",
    name_zh: "关于中国共产党党费收缴、使用和管理的规定",
    effective: ymd(2008, 4, 1),
    source_document: "《关于中国共产党党费收缴、使用和管理的规定》（中共中央组织部，组通字〔2008〕3号，2008-04-01起施行）",
    params: &[
        int("dues.salaried_band1_max", 3000, Yuan,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "在职党员月工资收入（税后）3000元以下（含3000元）按第一档比例交纳"),
        int("dues.salaried_band2_max", 5000, Yuan,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "3000元以上至5000元（含5000元）按第二档"),
        int("dues.salaried_band3_max", 10000, Yuan,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "5000元以上至10000元（含10000元）按第三档；10000元以上按第四档"),
        ratio("dues.salaried_rate1", 5, 1000,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "第一档：月工资收入的0.5%"),
        ratio("dues.salaried_rate2", 1, 100,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "第二档：1%"),
        ratio("dues.salaried_rate3", 15, 1000,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "第三档：1.5%"),
        ratio("dues.salaried_rate4", 2, 100,
            "《关于中国共产党党费收缴、使用和管理的规定》第二条",
            "第四档：2%；实行年薪制的按当月实得收入、收入不固定的按上季度月平均纯收入，适用同一比例（第三条、第四条）"),
        int("dues.retired_band1_max", 5000, Yuan,
            "《关于中国共产党党费收缴、使用和管理的规定》第五条",
            "离退休党员月离退休费5000元以下（含5000元）按0.5%，以上按1%"),
        ratio("dues.retired_rate1", 5, 1000,
            "《关于中国共产党党费收缴、使用和管理的规定》第五条",
            "离退休第一档：0.5%"),
        ratio("dues.retired_rate2", 1, 100,
            "《关于中国共产党党费收缴、使用和管理的规定》第五条",
            "离退休第二档：1%"),
        int("dues.farmer_min_fen", 20, Fen,
            "《关于中国共产党党费收缴、使用和管理的规定》第六条",
            "农民党员每月交纳0.2元至1元，具体标准由各省（区、市）确定"),
        int("dues.farmer_max_fen", 100, Fen,
            "《关于中国共产党党费收缴、使用和管理的规定》第六条",
            "农民党员每月最高1元"),
        int("dues.low_income_fen", 20, Fen,
            "《关于中国共产党党费收缴、使用和管理的规定》第六条",
            "学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员每月交纳0.2元"),
        int("dues.voluntary_to_central_yuan", 1000, Yuan,
            "《关于中国共产党党费收缴、使用和管理的规定》第十一条",
            "党员自愿一次性多交纳1000元以上（≥）的党费，全部上缴中央"),
        int("dues.back_pay_months", 6, Months,
            "实践做法（ugaw.cn、ejbk 等转述，非规定条文）",
            "补交党费一般不超过6个月"),
        int("dues.rounding_fen", 1, Fen,
            "平台设置：中央未规定党费计算的取整方式",
            "应交党费四舍五入到该金额（分）"),
    ],
};

const BRANCH_2018: RuleSet = RuleSet {
    code: "branch.2018",
    name_zh: "中国共产党支部工作条例（试行）",
    effective: ymd(2018, 10, 28),
    source_document: "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）",
    params: &[
        int("org.branch_min_full", 3, Count,
            "《中国共产党章程》第三十条；《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第四条：有正式党员3人以上的，应当成立党支部",
            "正式党员3人以上（≥）应当成立党支部；不足3人的可成立联合党支部"),
        int("org.committee_from_full", 7, Count,
            "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第六章：正式党员7人以上的党支部设立支部委员会；不足7人的设书记1名，必要时设副书记1名",
            "正式党员7人以上（≥）设支部委员会"),
        int("org.general_branch_above", 50, Count,
            "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第四条：党支部党员人数一般不超过50人；党员人数超过50人的，经上级党组织批准可设立党的总支部委员会（实践做法）",
            "党员超过50人（>）可设党总支"),
        int("org.committee_from_members", 100, Count,
            "《中国共产党章程》第三十条及实践做法：党员100人以上的，经上级党组织批准可设立党的基层委员会",
            "党员100人以上（≥）可设基层党委"),
        int("branch.max_members", 50, Count,
            "《中国共产党支部工作条例（试行）》第四条",
            "党支部党员人数一般不超过50人"),
        int("branch.joint_max_units", 5, Count,
            "《中国共产党支部工作条例（试行）》第四条",
            "联合党支部覆盖单位一般不超过5个"),
        int("branch.project_months", 6, Months,
            "《中国共产党支部工作条例（试行）》第四条",
            "工作期限6个月以上（≥）的工程、项目等，符合条件的应当成立党支部"),
        int("branch.committee_size_min", 3, Count,
            "《中国共产党支部工作条例（试行）》第六章",
            "支部委员会一般由3至5人组成"),
        int("branch.committee_size_max", 7, Count,
            "《中国共产党支部工作条例（试行）》第六章",
            "一般为3至5人，最多不超过7人"),
        int("org.term_years_branch", 3, Years,
            "《中国共产党支部工作条例（试行）》第六章",
            "党支部（党总支）委员会每届任期一般为3年"),
        int("org.term_years_village", 5, Years,
            "《中国共产党支部工作条例（试行）》第六章；《中国共产党农村基层组织工作条例》",
            "村、社区党组织每届任期5年"),
        int("org.term_years_committee", 5, Years,
            "《中国共产党基层组织选举工作条例》第三条（基层委员会每届任期3年至5年；平台默认5年）",
            "基层党委每届任期"),
        int("org_life.general_meeting_months", 3, Months,
            "《中国共产党支部工作条例（试行）》",
            "支部党员大会一般每季度召开1次"),
        int("org_life.committee_meeting_months", 1, Months,
            "《中国共产党支部工作条例（试行）》第十二条",
            "支部委员会会议一般每月召开1次；须过半数委员到会（表决规则见 committee.meeting）"),
        int("org_life.group_meeting_months", 1, Months,
            "《中国共产党支部工作条例（试行）》第十三条",
            "党小组会一般每月召开1次"),
        int("org_life.lecture_months", 3, Months,
            "地方通行做法（“三会一课”每季度至少1次党课）；条例规定党组织书记每年至少讲党课1次",
            "党课频次可按本地规定调整"),
        int("org_life.theme_day_months", 1, Months,
            "《中国共产党支部工作条例（试行）》",
            "每月相对固定1天开展主题党日"),
        int("org_life.life_meeting_months", 12, Months,
            "《中国共产党支部工作条例（试行）》",
            "组织生活会一般每年召开1次"),
        int("org_life.appraisal_months", 12, Months,
            "《中国共产党支部工作条例（试行）》",
            "民主评议党员一般每年开展1次"),
        int("org_life.talk_months", 12, Months,
            "《中国共产党支部工作条例（试行）》",
            "谈心谈话每年至少1次"),
        ratio("appraisal.excellent_max", 1, 3,
            "民主评议党员通行做法（12371.cn 民主评议党员专题，非支部条例条文）",
            "评定为优秀的党员一般不超过党员总数的三分之一（≤）"),
    ],
};

const ELECTION_2020: RuleSet = RuleSet {
    code: "election.2020",
    name_zh: "中国共产党基层组织选举工作条例",
    effective: ymd(2020, 7, 13),
    source_document: "《中国共产党基层组织选举工作条例》（中共中央，2020-07-13）",
    params: &[
        ratio("election.quorum", 4, 5,
            "《中国共产党基层组织选举工作条例》（部分地方手册作“含五分之四”）",
            "有选举权的到会人数超过（>）应到会人数的五分之四，会议有效（表决规则见 party.election）"),
        ratio("election.elected", 1, 2,
            "《中国共产党基层组织选举工作条例》",
            "被选举人获得的赞成票超过（>）应到会有选举权人数的半数，始得当选"),
        ratio("election.margin", 1, 5,
            "《中国共产党基层组织选举工作条例》（暂行条例第九条同）",
            "候选人数应多于应选人数的20%，按进一法取整"),
        int("election.congress_from_members", 500, Count,
            "《中国共产党基层组织选举工作条例》第二条至第五条",
            "党员人数500人以上（≥）或党员所在单位分散的，经批准可召开党员代表大会"),
        int("election.term_adjust_max_years", 1, Years,
            "《中国共产党基层组织选举工作条例》第三条",
            "任期届满需延期或提前换届的，须经上级批准，延长或提前期限一般不超过1年"),
    ],
};

/// The central rule sets, oldest first.
pub const RULE_SETS: &[RuleSet] = &[
    crate::floating::FLOATING_RULES,
    DUES_2008,
    DEVELOPMENT_2014,
    BRANCH_2018,
    ELECTION_2020,
    CONSTITUTION_2022,
];

/// A rule set by code.
pub fn rule_set(code: &str) -> Option<&'static RuleSet> {
    RULE_SETS.iter().find(|s| s.code == code)
}

/// A local value for a central key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverlayValue {
    /// Central key.
    pub key: String,
    /// Local value.
    pub value: ParamValue,
    /// Why, in Chinese.
    #[serde(default)]
    pub note: Option<String>,
}

/// A local rule with no central counterpart (e.g. a 公示 before listing as activist).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalParam {
    /// Key; must not be a central key (by convention `local.…`).
    pub key: String,
    /// Value.
    pub value: ParamValue,
    /// Unit.
    pub unit: Unit,
    /// Local document and article.
    pub source: String,
    /// What it means, in Chinese.
    #[serde(default)]
    pub note: Option<String>,
}

/// A county's or province's overlay over the central sets, in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overlay {
    /// Stable code (e.g. `county.341523.development`).
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// In force from.
    pub effective: NaiveDate,
    /// The local document.
    pub source_document: String,
    /// Local values for central keys.
    #[serde(default)]
    pub params: Vec<OverlayValue>,
    /// Local rules (to change one later, a newer overlay adds it again in full).
    #[serde(default)]
    pub added_rules: Vec<LocalParam>,
}

/// Why a parameter cannot be resolved or an overlay is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// No central set or overlay defines the key.
    #[error("规则参数 {0} 不存在")]
    UnknownKey(String),
    /// The key exists but no set defining it is in force on the date.
    #[error("规则参数 {key} 在 {date} 尚未施行")]
    NotInForce {
        /// Key.
        key: String,
        /// Date asked.
        date: NaiveDate,
    },
    /// The value does not fit the unit (an integer for a ratio, or a zero denominator).
    #[error("规则参数 {key} 的取值 {value} 与单位“{unit}”不符")]
    ValueKind {
        /// Key.
        key: String,
        /// Value.
        value: String,
        /// Unit label.
        unit: &'static str,
    },
    /// A key given twice in one overlay.
    #[error("规则参数 {0} 在同一叠加规则中重复")]
    Duplicate(String),
    /// An added rule reuses a central key.
    #[error("地方规则 {0} 与中央规则参数重名，请改为覆盖该参数")]
    ShadowsCentral(String),
    /// The unit is not a period.
    #[error("单位“{0}”不是期限，不能计算到期日")]
    NotAPeriod(&'static str),
    /// The value is not a usable number of periods.
    #[error("期限 {0} 无效")]
    BadPeriod(i64),
    /// Calendar arithmetic failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl RuleError {
    /// Stable code for APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownKey(_) => "rules.unknown_key",
            Self::NotInForce { .. } => "rules.not_in_force",
            Self::ValueKind { .. } => "rules.value_kind",
            Self::Duplicate(_) => "rules.duplicate_key",
            Self::ShadowsCentral(_) => "rules.shadows_central",
            Self::NotAPeriod(_) => "rules.not_a_period",
            Self::BadPeriod(_) => "rules.bad_period",
            Self::Calendar(e) => e.code(),
        }
    }
}

/// Every central definition of `key`, oldest set first.
fn central_defs(key: &str) -> impl Iterator<Item = (&'static RuleSet, &'static RuleParam)> + '_ {
    RULE_SETS
        .iter()
        .filter_map(move |s| s.param(key).map(|p| (s, p)))
}

/// The central parameter in force on `date`: the newest set in force that defines it.
pub fn central_param(key: &str, date: NaiveDate) -> Option<(&'static RuleSet, &'static RuleParam)> {
    central_defs(key)
        .filter(|(s, _)| s.effective <= date)
        .max_by_key(|(s, _)| s.effective)
}

impl Overlay {
    /// Checks the overlay: central keys exist and values fit their units; added rules are
    /// new keys with fitting values; no key twice.
    pub fn validate(&self) -> Result<(), RuleError> {
        let mut seen = std::collections::BTreeSet::new();
        for v in &self.params {
            if !seen.insert(v.key.as_str()) {
                return Err(RuleError::Duplicate(v.key.clone()));
            }
            let (_, p) = central_defs(&v.key)
                .last()
                .ok_or_else(|| RuleError::UnknownKey(v.key.clone()))?;
            check_fits(&v.key, v.value, p.unit)?;
        }
        for a in &self.added_rules {
            if !seen.insert(a.key.as_str()) {
                return Err(RuleError::Duplicate(a.key.clone()));
            }
            if central_defs(&a.key).next().is_some() {
                return Err(RuleError::ShadowsCentral(a.key.clone()));
            }
            check_fits(&a.key, a.value, a.unit)?;
        }
        Ok(())
    }

    fn lookup(&self, key: &str) -> Option<(ParamValue, Option<Unit>, Option<&str>)> {
        if let Some(v) = self.params.iter().find(|v| v.key == key) {
            return Some((v.value, None, None));
        }
        self.added_rules
            .iter()
            .find(|a| a.key == key)
            .map(|a| (a.value, Some(a.unit), Some(a.source.as_str())))
    }
}

fn check_fits(key: &str, value: ParamValue, unit: Unit) -> Result<(), RuleError> {
    use crate::codes::Coded;
    if value.fits(unit) {
        Ok(())
    } else {
        Err(RuleError::ValueKind {
            key: key.to_string(),
            value: value.to_string(),
            unit: unit.zh(),
        })
    }
}

/// A parameter's value on a date, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolved {
    /// Key.
    pub key: String,
    /// Value in force.
    pub value: ParamValue,
    /// Unit.
    pub unit: Unit,
    /// Document and article of the value in force.
    pub source: String,
    /// Date the value is in force from.
    pub effective: NaiveDate,
    /// Overlay code, when a local value applies.
    pub overlay: Option<String>,
    /// The central default, where the key is central.
    pub central_default: Option<ParamValue>,
}

/// The value of `key` on `date`: the newest overlay in force (effective ≤ date) that sets
/// it (on equal dates the later in `overlays`), else the central default in force.
pub fn resolve(key: &str, date: NaiveDate, overlays: &[Overlay]) -> Result<Resolved, RuleError> {
    let central = central_param(key, date);
    let any_central = central_defs(key).last();
    let local = overlays
        .iter()
        .enumerate()
        .filter(|(_, o)| o.effective <= date)
        .filter_map(|(i, o)| o.lookup(key).map(|l| (i, o, l)))
        .max_by_key(|(i, o, _)| (o.effective, *i));
    if let Some((_, o, (value, unit, source))) = local {
        let unit = match (unit, any_central) {
            (Some(u), _) => u,
            (None, Some((_, p))) => p.unit,
            (None, None) => return Err(RuleError::UnknownKey(key.to_string())),
        };
        check_fits(key, value, unit)?;
        let source = match source {
            Some(s) => format!("{}；{}", o.source_document, s),
            None => o.source_document.clone(),
        };
        return Ok(Resolved {
            key: key.to_string(),
            value,
            unit,
            source,
            effective: o.effective,
            overlay: Some(o.code.clone()),
            central_default: any_central.map(|(_, p)| p.default),
        });
    }
    match (central, any_central) {
        (Some((s, p)), _) => Ok(Resolved {
            key: key.to_string(),
            value: p.default,
            unit: p.unit,
            source: p.source.to_string(),
            effective: s.effective,
            overlay: None,
            central_default: Some(p.default),
        }),
        (None, Some(_)) => Err(RuleError::NotInForce {
            key: key.to_string(),
            date,
        }),
        (None, None) => Err(RuleError::UnknownKey(key.to_string())),
    }
}

/// Like [`resolve`], but a date before the oldest rule set Jiceng carries uses the oldest
/// known value, and the source says so briefly — the document and the date it took effect,
/// `《…》第七条（2014-05-28 起施行）`: the provisions (age 18, a year of probation, six months
/// for self-withdrawal…) are older than the documents that now carry them.
pub fn resolve_or_oldest(
    key: &str,
    date: NaiveDate,
    overlays: &[Overlay],
) -> Result<Resolved, RuleError> {
    match resolve(key, date, overlays) {
        Err(RuleError::NotInForce { .. }) => {
            let mut r = resolve(key, NaiveDate::MAX, &[])?;
            r.source = format!("{}（{} 起施行）", r.source, r.effective);
            Ok(r)
        }
        other => other,
    }
}

/// The day a period of `n` units after `from` is complete, by the one convention of
/// [`calendar::CONVENTION_ZH`] (working days on `cal`).
pub fn due_date(
    cal: &WorkCalendar,
    from: NaiveDate,
    n: i64,
    unit: Unit,
) -> Result<NaiveDate, RuleError> {
    use crate::codes::Coded;
    let n = u32::try_from(n).map_err(|_| RuleError::BadPeriod(n))?;
    Ok(match unit {
        Unit::CalendarDays => calendar::add_calendar_days(from, n)?,
        Unit::WorkingDays => cal.add_working_days(from, n)?,
        Unit::Months => calendar::add_months(from, n)?,
        Unit::Years => calendar::add_years(from, n)?,
        other => return Err(RuleError::NotAPeriod(other.zh())),
    })
}

/// The due date of a resolved period parameter.
pub fn due_date_of(
    cal: &WorkCalendar,
    from: NaiveDate,
    r: &Resolved,
) -> Result<NaiveDate, RuleError> {
    use crate::codes::Coded;
    let n = r.value.as_int().ok_or(RuleError::NotAPeriod(r.unit.zh()))?;
    due_date(cal, from, n, r.unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Coded;
    use crate::org::{Field, OrgKind};
    use crate::warnings::STRUCTURE_PARAM_SOURCES;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn int_of(key: &str) -> i64 {
        resolve(key, d(2025, 1, 1), &[])
            .unwrap()
            .value
            .as_int()
            .unwrap()
    }

    #[test]
    fn sets_are_well_formed() {
        let mut keys = std::collections::BTreeSet::new();
        let mut codes = std::collections::BTreeSet::new();
        for s in RULE_SETS {
            assert!(codes.insert(s.code), "{}", s.code);
            assert!(!s.source_document.is_empty() && !s.name_zh.is_empty());
            for p in s.params {
                assert!(keys.insert(p.key), "duplicate key {}", p.key);
                assert!(p.default.fits(p.unit), "{}", p.key);
                assert!(!p.source.is_empty() && !p.note.is_empty(), "{}", p.key);
                assert!(!p.key.starts_with("local."), "{}", p.key);
            }
        }
        let dates: Vec<_> = RULE_SETS.iter().map(|s| s.effective).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
        assert_eq!(rule_set("dues.2008").unwrap().effective, d(2008, 4, 1));
        assert!(rule_set("nope").is_none());
    }

    /// Everything the registry shows users cites official documents only: no working notes,
    /// no unconfirmed-article remarks, no internal file names or section marks.
    #[test]
    fn registry_text_is_for_users() {
        const INTERNAL: [&str; 7] = [
            "待核",
            "SPEC",
            "§",
            "RULES-SOURCES",
            "STATS-TABLES",
            "种子文件",
            "种子文档",
        ];
        let mut texts: Vec<(String, &str)> = Vec::new();
        for s in RULE_SETS {
            texts.push((s.code.to_string(), s.source_document));
            texts.push((s.code.to_string(), s.name_zh));
            for p in s.params {
                texts.push((p.key.to_string(), p.source));
                texts.push((p.key.to_string(), p.note));
            }
        }
        for v in crate::vote::VOTE_RULES {
            texts.push((v.code.to_string(), v.source));
        }
        for w in STRUCTURE_PARAM_SOURCES {
            texts.push((w.key.to_string(), w.source));
        }
        let years = calendar::central_years();
        for y in &years {
            texts.push((y.year.to_string(), y.source.as_str()));
        }
        for (what, text) in texts {
            for bad in INTERNAL {
                assert!(!text.contains(bad), "{what}: {bad} in {text}");
            }
        }
    }

    #[test]
    fn before_the_oldest_document_the_note_is_its_title_and_date() {
        let r = resolve_or_oldest("development.talk_within_months", d(2004, 5, 1), &[]).unwrap();
        assert_eq!(
            r.source,
            "《中国共产党发展党员工作细则》第七条（2014-05-28 起施行）"
        );
        assert!(!r.source.contains("早于"));
        // In force: the source as registered, no note.
        let r = resolve_or_oldest("development.talk_within_months", d(2015, 5, 1), &[]).unwrap();
        assert_eq!(r.source, "《中国共产党发展党员工作细则》第七条");
    }

    #[test]
    fn structure_params_agree_with_warnings() {
        for s in STRUCTURE_PARAM_SOURCES {
            if s.key == "org.reelection_warn_months" {
                // A platform warning setting, not a regulation.
                assert!(central_defs(s.key).next().is_none());
                continue;
            }
            let (_, p) = central_param(s.key, d(2025, 1, 1)).unwrap();
            assert_eq!(p.default, ParamValue::Int(s.default), "{}", s.key);
            assert_eq!(p.source, s.source, "{}", s.key);
            assert_eq!(p.unit, Unit::Count);
        }
    }

    #[test]
    fn term_params_agree_with_org() {
        assert_eq!(
            int_of("org.term_years_branch"),
            i64::from(crate::org::term_years(OrgKind::Branch, Field::Organ))
        );
        assert_eq!(
            int_of("org.term_years_committee"),
            i64::from(crate::org::term_years(OrgKind::Committee, Field::Organ))
        );
        assert_eq!(
            int_of("org.term_years_village"),
            i64::from(crate::org::term_years(OrgKind::Branch, Field::Rural))
        );
    }

    #[test]
    fn vote_rules_agree_with_params() {
        use crate::vote::{vote_rule, Comparison, Fraction};
        let election = vote_rule("party.election").unwrap();
        assert_eq!(
            resolve("election.quorum", d(2021, 1, 1), &[])
                .unwrap()
                .value,
            ParamValue::Ratio {
                num: election.quorum.frac.num,
                den: election.quorum.frac.den
            }
        );
        assert_eq!(election.quorum.cmp, Comparison::Gt);
        assert_eq!(election.adoption.frac, Fraction::HALF);
    }

    #[test]
    fn central_values() {
        assert_eq!(int_of("development.talk_within_months"), 1);
        assert_eq!(int_of("development.notice_working_days"), 5);
        let r = resolve("development.notice_working_days", d(2025, 1, 1), &[]).unwrap();
        assert_eq!(r.unit, Unit::WorkingDays);
        assert_eq!(r.effective, d(2014, 5, 28));
        assert_eq!(r.overlay, None);
        assert_eq!(int_of("member.min_age"), 18);
        assert_eq!(int_of("dues.salaried_band1_max"), 3000);
        assert_eq!(
            resolve("dues.salaried_rate3", d(2025, 1, 1), &[])
                .unwrap()
                .value,
            ParamValue::Ratio { num: 15, den: 1000 }
        );
        assert_eq!(int_of("election.congress_from_members"), 500);
    }

    #[test]
    fn not_in_force_and_unknown() {
        assert_eq!(
            resolve("development.talk_within_months", d(2014, 5, 27), &[]),
            Err(RuleError::NotInForce {
                key: "development.talk_within_months".into(),
                date: d(2014, 5, 27)
            })
        );
        assert!(resolve("development.talk_within_months", d(2014, 5, 28), &[]).is_ok());
        assert_eq!(
            resolve("nope", d(2025, 1, 1), &[]).unwrap_err().code(),
            "rules.unknown_key"
        );
    }

    fn county(effective: NaiveDate, notice: i64) -> Overlay {
        Overlay {
            code: format!("county.341523.{effective}"),
            name_zh: "测试县发展党员补充规定".into(),
            effective,
            source_document: "中共测试县委组织部《发展党员工作补充规定》".into(),
            params: vec![OverlayValue {
                key: "development.notice_working_days".into(),
                value: ParamValue::Int(notice),
                note: None,
            }],
            added_rules: vec![
                LocalParam {
                    key: "local.activist_after_application_months".into(),
                    value: ParamValue::Int(6),
                    unit: Unit::Months,
                    source: "第三条".into(),
                    note: Some("递交入党申请书6个月以上方可确定为入党积极分子".into()),
                },
                LocalParam {
                    key: "local.activist_notice_working_days".into(),
                    value: ParamValue::Int(5),
                    unit: Unit::WorkingDays,
                    source: "第四条".into(),
                    note: Some("确定入党积极分子前公示".into()),
                },
            ],
        }
    }

    #[test]
    fn overlays_pick_the_newest_in_force() {
        let a = county(d(2020, 1, 1), 7);
        let b = county(d(2024, 7, 1), 10);
        a.validate().unwrap();
        let overlays = [b.clone(), a.clone()];
        let key = "development.notice_working_days";
        // Before both: central.
        let r = resolve(key, d(2019, 12, 31), &overlays).unwrap();
        assert_eq!((r.value, r.overlay), (ParamValue::Int(5), None));
        // Between: the older overlay.
        let r = resolve(key, d(2024, 6, 30), &overlays).unwrap();
        assert_eq!(r.value, ParamValue::Int(7));
        assert_eq!(r.overlay.as_deref(), Some("county.341523.2020-01-01"));
        assert_eq!(r.central_default, Some(ParamValue::Int(5)));
        assert_eq!(r.unit, Unit::WorkingDays);
        assert_eq!(r.effective, d(2020, 1, 1));
        // From the newer one's date: the newer one, whatever the order given.
        let r = resolve(key, d(2024, 7, 1), &overlays).unwrap();
        assert_eq!(r.value, ParamValue::Int(10));
        // Same date: the later in the list wins.
        let c = county(d(2024, 7, 1), 12);
        let r = resolve(key, d(2025, 1, 1), &[b, c]).unwrap();
        assert_eq!(r.value, ParamValue::Int(12));
        // Local rules resolve with their own unit and source.
        let r = resolve(
            "local.activist_after_application_months",
            d(2021, 1, 1),
            &overlays,
        )
        .unwrap();
        assert_eq!((r.value, r.unit), (ParamValue::Int(6), Unit::Months));
        assert_eq!(r.central_default, None);
        assert_eq!(
            r.source,
            "中共测试县委组织部《发展党员工作补充规定》；第三条"
        );
        assert_eq!(
            resolve(
                "local.activist_after_application_months",
                d(2019, 1, 1),
                &overlays
            )
            .unwrap_err()
            .code(),
            "rules.unknown_key"
        );
    }

    #[test]
    fn overlay_validation() {
        let ok = county(d(2020, 1, 1), 7);
        let refuse = |f: &dyn Fn(&mut Overlay)| {
            let mut o = ok.clone();
            f(&mut o);
            o.validate().unwrap_err().code()
        };
        assert_eq!(
            refuse(&|o| o.params[0].key = "nope".into()),
            "rules.unknown_key"
        );
        assert_eq!(
            refuse(&|o| o.params[0].value = ParamValue::Ratio { num: 1, den: 2 }),
            "rules.value_kind"
        );
        assert_eq!(
            refuse(&|o| o.params.push(o.params[0].clone())),
            "rules.duplicate_key"
        );
        assert_eq!(
            refuse(&|o| o.added_rules[0].key = "member.min_age".into()),
            "rules.shadows_central"
        );
        assert_eq!(
            refuse(&|o| o.added_rules[0].value = ParamValue::Ratio { num: 1, den: 0 }),
            "rules.value_kind"
        );
        assert_eq!(
            refuse(&|o| {
                o.added_rules[0].unit = Unit::Ratio;
                o.added_rules[0].value = ParamValue::Ratio { num: 1, den: 0 };
            }),
            "rules.value_kind"
        );
        // A ratio param overridden with a ratio is fine.
        let mut r = ok.clone();
        r.params[0] = OverlayValue {
            key: "appraisal.excellent_max".into(),
            value: ParamValue::Ratio { num: 1, den: 4 },
            note: None,
        };
        r.validate().unwrap();
    }

    #[test]
    fn due_dates_follow_the_convention() {
        let cal = WorkCalendar::central();
        let notice = resolve("development.notice_working_days", d(2024, 9, 1), &[]).unwrap();
        assert_eq!(
            due_date_of(&cal, d(2024, 9, 27), &notice).unwrap(),
            d(2024, 10, 10)
        );
        let talk = resolve("development.talk_within_months", d(2024, 1, 1), &[]).unwrap();
        assert_eq!(
            due_date_of(&cal, d(2024, 1, 31), &talk).unwrap(),
            d(2024, 2, 29)
        );
        let probation = resolve("member.probation_years", d(2024, 1, 1), &[]).unwrap();
        assert_eq!(
            due_date_of(&cal, d(2024, 7, 1), &probation).unwrap(),
            d(2025, 7, 1)
        );
        assert_eq!(
            due_date(&cal, d(2024, 1, 1), 3, Unit::CalendarDays).unwrap(),
            d(2024, 1, 4)
        );
        assert_eq!(
            due_date(&cal, d(2024, 1, 1), -1, Unit::CalendarDays)
                .unwrap_err()
                .code(),
            "rules.bad_period"
        );
        assert_eq!(
            due_date(&cal, d(2024, 1, 1), 3, Unit::Count)
                .unwrap_err()
                .code(),
            "rules.not_a_period"
        );
        let rate = resolve("dues.salaried_rate1", d(2024, 1, 1), &[]).unwrap();
        assert_eq!(
            due_date_of(&cal, d(2024, 1, 1), &rate).unwrap_err().code(),
            "rules.not_a_period"
        );
        assert_eq!(
            due_date(&cal, NaiveDate::MAX, 1, Unit::Months)
                .unwrap_err()
                .code(),
            "calendar.out_of_range"
        );
        assert!(Unit::WorkingDays.is_period() && !Unit::Ratio.is_period());
        assert_eq!(Unit::WorkingDays.zh(), "个工作日");
    }

    #[test]
    fn values_display_and_fit() {
        assert_eq!(ParamValue::Int(5).to_string(), "5");
        assert_eq!(ParamValue::Ratio { num: 4, den: 5 }.to_string(), "4/5");
        assert!(ParamValue::Int(5).fits(Unit::Months));
        assert!(!ParamValue::Int(5).fits(Unit::Ratio));
        assert!(!ParamValue::Ratio { num: 1, den: 0 }.fits(Unit::Ratio));
        assert_eq!(ParamValue::Ratio { num: 1, den: 2 }.as_int(), None);
    }
}
