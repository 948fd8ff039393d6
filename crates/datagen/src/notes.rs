//! Text templates: 民情日记 visit notes, contact-log notes, needs (诉求) and services,
//! written the way grid workers write them: short, concrete sentences.

use gridwalk_core::doc::household::Campaign;
use gridwalk_core::reference::CareTag;
use rand::Rng;

use crate::sampling::one_of;

/// Routine situations seen on a visit.
const ROUTINE: &[&str] = &[
    "家中一切正常",
    "老人身体还算硬朗，每天到村口晒太阳",
    "孩子刚上小学，夫妻俩都在城里上班",
    "说最近血压有点高，已提醒按时吃药",
    "儿子在杭州打工，过年才回来",
    "家里刚装修完，提醒注意通风",
    "询问今年城乡居民医保什么时候缴费，已告知缴费时间和渠道",
    "反映小区里停车位紧张，晚上经常停不下",
    "一家人和睦，对社区工作比较满意",
    "女儿今年考上了大学，一家人很高兴",
    "刚从医院出院，在家休养",
    "家里种了两亩茶叶，今年收成不错",
    "说楼上装修噪音有点大，已帮忙与楼上沟通",
    "老两口自己种点菜，生活能够自理",
];

/// Reminders and publicity given on a visit.
const REMINDERS: &[&str] = &[
    "提醒注意用电安全，出门随手关电",
    "宣传了反诈知识，帮忙安装了国家反诈中心APP",
    "提醒电动车不要进楼道、不要入户充电",
    "宣传垃圾分类，厨余垃圾要破袋投放",
    "告知有事可以直接打我电话",
    "提醒雨季注意房前屋后排水",
    "宣传了养老保险政策",
    "提醒天气转凉注意保暖，用取暖器注意安全",
    "宣传了最多跑一次，很多事可以在浙里办上办",
];

/// Situations on a key-group visit, by who is cared for.
fn care_situation(tag: Option<CareTag>) -> &'static [&'static str] {
    match tag {
        Some(CareTag::ElderlyAlone | CareTag::VeryOld) => &[
            "老人精神状态不错，饭菜是自己做的",
            "老人腿脚不便，近期很少出门",
            "老人耳朵有点背，说话要大声些，身体无大碍",
            "最近天冷，老人咳嗽了几天，已好转",
            "家里收拾得比较干净，冰箱里有菜",
        ],
        Some(CareTag::LeftBehindChild) => &[
            "孩子在学校表现不错，爷爷奶奶说成绩有进步",
            "孩子父母在外打工，每周和孩子视频一次",
            "孩子最近有点感冒，已提醒带去卫生院看看",
        ],
        Some(CareTag::Disabled) => &[
            "轮椅有点坏了，推起来不顺",
            "残疾人两项补贴按时到账，生活基本稳定",
            "近期康复训练坚持得不错",
        ],
        Some(CareTag::MinimumIncome | CareTag::ExtremePoverty) => &[
            "低保金按时到账，家里生活基本稳定",
            "家里收入来源少，主要靠救助金和打零工",
        ],
        None => &[
            "近况稳定，按时服药，情绪平稳",
            "近期在附近工厂上班，表现正常",
        ],
    }
}

const CARE_ACTION: &[&str] = &[
    "帮忙打扫了卫生",
    "检查了燃气灶和电线，没有发现隐患",
    "留下了联系卡，嘱咐有事随时打电话",
    "联系村医上门量了血压",
    "送去了米和油",
    "帮忙在手机上查了养老金到账情况",
    "和子女通了电话，说明了老人近况",
];

fn campaign_text<R: Rng>(rng: &mut R, c: Campaign) -> String {
    let (lead, checks, results): (&str, &[&str], &[&str]) = match c {
        Campaign::Fire => (
            "开展消防安全专项走访",
            &["灭火器压力", "电动车充电情况", "楼道堆物", "电线老化情况"],
            &[
                "未发现隐患",
                "楼道有杂物堆放，已督促当场清理",
                "灭火器已过期，提醒尽快更换",
            ],
        ),
        Campaign::Gas => (
            "燃气安全入户检查",
            &["燃气软管", "灶具熄火保护", "燃气报警器", "阀门"],
            &[
                "使用正常",
                "软管老化，已建议更换金属波纹管",
                "未安装报警器，已宣传安装",
            ],
        ),
        Campaign::DangerousHouse => (
            "危旧房排查",
            &["墙体", "屋顶", "承重结构", "房前屋后边坡"],
            &[
                "结构正常",
                "墙体有细微裂缝，已拍照登记，继续观察",
                "屋顶漏雨，已上报",
            ],
        ),
        Campaign::GarbageSorting => (
            "垃圾分类入户宣传",
            &["厨余垃圾投放", "分类垃圾桶配备", "可回收物存放"],
            &[
                "分类比较规范",
                "厨余垃圾没有破袋，已现场讲解",
                "发放了分类垃圾桶",
            ],
        ),
        Campaign::Flood => (
            "防汛防台走访",
            &["房屋周边排水", "转移路线知晓情况", "山塘边坡", "应急物资"],
            &[
                "已告知转移安置点位置",
                "屋后水沟堵塞，已组织疏通",
                "老人行动不便，已列入转移重点对象",
            ],
        ),
    };
    format!(
        "{lead}，检查了{}，{}。",
        one_of(rng, checks),
        one_of(rng, results)
    )
}

/// The part of the day, from the Shanghai hour.
pub fn part_of_day(hour: u32) -> &'static str {
    match hour {
        0..=11 => "上午",
        12..=13 => "中午",
        14..=17 => "下午",
        _ => "傍晚",
    }
}

/// What a visit note needs to know.
pub struct VisitNote<'a> {
    /// 上午 / 下午 / 傍晚.
    pub part_of_day: &'static str,
    /// The head (or first live member), if anyone lives there.
    pub head: Option<&'a str>,
    /// Names of the members met.
    pub met: Vec<&'a str>,
    /// Phone or video, not in person.
    pub remote: Option<&'static str>,
    /// A key-group visit: the care tag concerned (`Some(None)` for a special group,
    /// which is never named in the note).
    pub care: Option<Option<CareTag>>,
    /// The campaign, for campaign visits.
    pub campaign: Option<Campaign>,
    /// The household is empty.
    pub empty: bool,
}

/// A 民情日记 note for a visit.
pub fn visit_note<R: Rng>(rng: &mut R, n: &VisitNote) -> String {
    let who = n.head.unwrap_or("住户");
    if n.empty {
        return match n.head {
            Some(h) => format!(
                "{}到空置户查看，门窗完好，水电已关。电话联系房主{h}，近期无人居住。",
                n.part_of_day
            ),
            None => format!("{}到空置户查看，门窗完好，无异常。", n.part_of_day),
        };
    }
    if let Some(channel) = n.remote {
        let name = n.met.first().copied().unwrap_or(who);
        return format!(
            "{channel}联系{name}，{}。{}。",
            one_of(rng, ROUTINE),
            one_of(rng, REMINDERS)
        );
    }
    let met = match n.met.as_slice() {
        [] => "家中无人，留了联系卡".to_string(),
        [one] => format!("{one}在家"),
        [a, b, ..] => format!("{a}和{b}在家"),
    };
    if let Some(c) = n.campaign {
        return format!(
            "{}到{who}家，{met}。{}{}。",
            n.part_of_day,
            campaign_text(rng, c),
            one_of(rng, REMINDERS)
        );
    }
    if let Some(tag) = n.care {
        // The note never names a special group: it is in the household document.
        let label = tag.map_or("重点关注", CareTag::label_zh);
        return format!(
            "{}上门看望{label}对象{who}，{}。{}。",
            n.part_of_day,
            one_of(rng, care_situation(tag)),
            one_of(rng, CARE_ACTION)
        );
    }
    format!(
        "{}走访{who}家，{met}，{}。{}。",
        n.part_of_day,
        one_of(rng, ROUTINE),
        one_of(rng, REMINDERS)
    )
}

/// A need noted or turned into a 代办 request: (need, service given).
pub fn need<R: Rng>(rng: &mut R, proxy: bool) -> (String, String) {
    const PROXY: &[(&str, &str)] = &[
        (
            "想办理城乡居民医保缴费，不会用手机",
            "代为在浙里办上完成医保缴费",
        ),
        (
            "高龄津贴申请材料不清楚",
            "收齐材料，代为送交便民服务中心办理",
        ),
        ("残疾证到期需要换证", "预约了换证评残时间，代办换证手续"),
        ("孩子办理居住证需要证明", "代为开具居住证明并提交"),
        ("养老金资格认证不会操作", "上门协助完成养老金资格认证"),
        ("想申请临时救助", "指导填写申请表，代为递交民政办"),
    ];
    const NOTED: &[&str] = &[
        "希望小区增加充电桩",
        "反映村口路灯不亮",
        "希望村里多组织老年人活动",
        "想了解公益性岗位招聘",
        "反映附近夜宵摊油烟大",
        "希望公交车增加班次",
    ];
    if proxy {
        let (n, s) = one_of(rng, PROXY);
        (n.to_string(), s.to_string())
    } else {
        (one_of(rng, NOTED).to_string(), String::new())
    }
}

/// A party member's or worker's contact with a household.
pub fn household_contact<R: Rng>(rng: &mut R, head: &str, remote: bool) -> String {
    const SEEN: &[&str] = &[
        "了解近况，家里都好",
        "宣传了反诈知识",
        "听取了对村里道路修缮的意见",
        "转达了社区组织体检的通知",
        "老人说最近睡眠不太好，已提醒注意休息",
        "征求了对网格服务的意见，表示满意",
    ];
    if remote {
        format!("电话联系{head}，{}。", one_of(rng, SEEN))
    } else {
        format!("到{head}家走访，{}。", one_of(rng, SEEN))
    }
}

/// A grid head's contact with a grid worker.
pub fn head_worker<R: Rng>(rng: &mut R, worker: &str) -> String {
    const T: &[&str] = &[
        "与网格员{}碰头，梳理本周重点户走访情况",
        "听取网格员{}汇报近期矛盾纠纷排查情况",
        "和网格员{}一起到独居老人家中走访",
        "检查网格员{}的民情日记，提醒逾期未访户尽快走访",
    ];
    format!("{}。", one_of(rng, T).replace("{}", worker))
}

/// A township cadre's contact with a grid.
pub fn cadre_grid<R: Rng>(rng: &mut R, grid: &str) -> String {
    const T: &[&str] = &[
        "到{}指导工作，抽查了五户走访记录",
        "参加{}网格例会，部署防汛防台工作",
        "到{}检查重点人群管控情况",
        "和{}网格员座谈，了解群众诉求办理情况",
    ];
    format!("{}。", one_of(rng, T).replace("{}", grid))
}
