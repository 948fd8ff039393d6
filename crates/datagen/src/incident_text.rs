//! Incident texts by category: descriptions as reported, results as fed back.

use gridwalk_core::reference::Platform;
use rand::Rng;

use crate::sampling::one_of;

/// A description for a category code. `{a}` and `{b}` are parties, `{p}` the place.
fn templates(code: &str) -> &'static [&'static str] {
    match code {
        "safety.dispute" => &[
            "{a}与{b}因宅基地边界发生争执，双方情绪激动",
            "楼上漏水导致楼下天花板受损，{a}与{b}协商未果",
            "{a}与{b}因土地流转租金发生纠纷",
        ],
        "safety.petition" => &[
            "{a}反映征地补偿款未按时发放，表示要到县里上访",
            "{a}多次反映养老保险待遇问题，情绪较大",
        ],
        "safety.special_group" => &["网格内一名重点人员近期情绪不稳定，需要加强关注"],
        "safety.minor_dispute" => &[
            "{a}夫妻因家务琐事争吵，邻居反映",
            "{a}与{b}因晾晒衣物位置发生口角",
        ],
        "market.food_safety" => &[
            "{p}一家小吃店后厨卫生条件差，有群众反映吃后腹泻",
            "{p}有商店出售过期食品",
        ],
        "market.unlicensed" => &[
            "{p}有流动摊贩无证经营熟食",
            "{p}一处民房内疑似无证开办托管班",
        ],
        "market.price" => &["{p}一家超市标价与结算价格不一致"],
        "enforcement.illegal_building" => &[
            "{p}有住户在屋顶违规搭建彩钢棚",
            "{p}有村民未经审批在自家院外扩建",
        ],
        "enforcement.fire_hazard" => &[
            "{p}楼道内有电动车停放充电，存在消防隐患",
            "{p}消防通道被杂物堵塞",
        ],
        "enforcement.dangerous_house" => &[
            "{p}一处老房子墙体开裂，雨天有倒塌风险",
            "{p}一处闲置土坯房屋顶部分坍塌",
        ],
        "enforcement.garbage" => &["{p}路边建筑垃圾乱堆，影响通行", "{p}河道边有人倾倒生活垃圾"],
        "enforcement.gas" => &[
            "{p}一家餐馆液化气钢瓶存放不规范",
            "{p}有住户燃气管道私自改装",
        ],
        "service.social_assistance" => &[
            "{a}家中老人重病住院，医疗费用负担重，申请临时救助",
            "{a}因病致贫，申请纳入低保",
        ],
        "service.proxy" => &[
            "{a}行动不便，需代办残疾人两项补贴申请",
            "{a}需代办城乡居民养老保险参保手续",
        ],
        "service.road_light" => &["{p}路灯不亮已有一周，夜间出行不便"],
        "service.water" => &["{p}自来水水压低，早晚高峰经常停水"],
        "grid.cleanup" => &["{p}公共区域垃圾堆积，需组织清理", "{p}绿化带内杂草丛生"],
        "grid.reminder" => &[
            "{p}山塘水位上涨，需提醒周边群众注意安全",
            "{p}路面结冰，需提醒行人车辆注意",
        ],
        _ => &["{p}发现问题，需要处置"],
    }
}

/// A description for a category, with parties and a place filled in.
pub fn description<R: Rng>(rng: &mut R, code: &str, a: &str, b: &str, place: &str) -> String {
    one_of(rng, templates(code))
        .replace("{a}", a)
        .replace("{b}", b)
        .replace("{p}", place)
}

/// Does the category's description name parties?
pub fn has_parties(code: &str) -> bool {
    templates(code).iter().any(|t| t.contains("{a}"))
}

/// A result as fed back (or recorded on the spot, 网格自办).
pub fn result<R: Rng>(rng: &mut R, code: &str, platform: Platform) -> String {
    let specific: &[&str] = match code {
        "service.road_light" => &["已更换灯具，恢复照明"],
        "service.water" => &["已维修入户管道，水压恢复正常"],
        "enforcement.fire_hazard" => &["已清理楼道电动车和杂物，张贴了安全提示"],
        "enforcement.garbage" => &["已组织清运，并在现场设置了禁倒标识"],
        "grid.cleanup" => &["已组织志愿者清理完毕"],
        "grid.reminder" => &["已逐户提醒，并在路口设置了警示牌"],
        "safety.minor_dispute" => &["经现场劝导，双方已和好"],
        _ => &[],
    };
    if !specific.is_empty() && rng.random_bool(0.7) {
        return one_of(rng, specific).to_string();
    }
    let generic: &[&str] = match platform {
        Platform::Comprehensive => &[
            "经调解双方达成一致，签订了调解协议",
            "已约谈当事人，做好解释和疏导工作",
        ],
        Platform::Market => &[
            "已现场检查，责令整改并立案调查",
            "已下达整改通知，复查已整改",
        ],
        Platform::LawEnforcement => &[
            "已责令当事人限期整改，复查已整改到位",
            "已依法拆除，现场恢复原状",
        ],
        Platform::PublicService => &["已协调相关部门处理完毕", "已办理完成，结果已告知当事人"],
        Platform::InGrid => &["已现场处理完毕"],
    };
    one_of(rng, generic).to_string()
}

/// Why a verification failed.
pub const VERIFY_FAIL: &[&str] = &[
    "现场查看问题仍然存在，群众不认可处理结果",
    "只做了临时处理，未彻底解决",
];

/// Why a unit refused.
pub const REFUSE: &[&str] = &[
    "不属于本单位职责范围，建议改派",
    "该问题涉及跨部门职责，请重新交办",
];
