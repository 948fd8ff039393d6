// Simplified Chinese text of the supervisor console (the default language). Keys mirror
// console-en.ts exactly (a test checks). Code labels (`code.*`) are shared with the field app.
export default {
  console: {
    title: '网格行督导台', signOut: '退出登录', backToApp: '返回外勤', language: 'English', loading: '加载中…',
    nav: { reviews: '审核', incidents: '事件', dashboard: '统计', export: '导出' },
  },
  common: {
    refresh: '刷新', cancel: '取消', confirm: '确定', close: '关闭', empty: '暂无数据', all: '全部', none: '无',
    done: '操作成功', days: '{n} 天',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试。', internal: '出错了，请重试。', no_result: '服务器没有返回这条记录的结果。',
    unknown: '未知错误。', http: '服务器出错（{status}）。', embedded_sign_in: '应用内的督导页面随应用登录。',
  },
  signIn: {
    title: '督导台登录', subtitle: '网格长、网格指导员、四平台调度员和承办单位使用', username: '用户名',
    password: '密码', submit: '登录', usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
    embeddedTitle: '督导页面暂时打不开', embeddedHint: '督导页面需要联网，并且只对网格长和网格指导员开放。', retry: '重试',
    signedOut: '登录已失效，请返回应用重新登录。',
  },
  reviews: {
    tabs: { unreviewed: '未审核', returned: '已退回', approved: '已通过' },
    status: { unreviewed: '未审核', resubmitted: '已重新提交', returned: '已退回', approved: '已通过' },
    col: { address: '地址', author: '记录人', time: '时间', mode: '方式', note: '内容摘要', status: '状态', grid: '网格' },
    approve: '通过', return: '退回', batchApprove: '批量通过', selected: '已选 {n} 条',
    returnTitle: '退回记录', reason: '退回原因', reasonPlaceholder: '请写明需要补充或修改的内容', reasonRequired: '请填写退回原因',
    detail: '记录详情', content: '走访内容', observations: '家庭变动', needs: '群众需求', needsCount: '{n} 项',
    service: '代办服务', lineage: '审核与修改记录', kind: { visit: '走访', contact: '联系' },
    lineageKind: { submitted: '提交', fixed: '修改后重新提交', approved: '审核通过', returned: '退回' },
    reasonLine: '原因：{reason}', keysHint: '快捷键：j / k 上下移动，a 通过，r 退回', pick: '请在列表中选择一条记录',
    approvedOne: '已通过', returnedOne: '已退回，记录人将在设备上看到原因', batchDone: '通过 {ok} 条，失败 {failed} 条',
    failures: '未能通过的记录', searchPlaceholder: '搜索地址、记录人或内容', fixes: '修改 {n} 次', lastReview: '最近审核',
    reviewer: '{name} 于 {at}', total: '共 {n} 条',
  },
  incidents: {
    col: {
      summary: '事件', state: '状态', category: '类别', platform: '平台', urgency: '紧急程度', deadline: '办理期限',
      supervision: '督办', grid: '网格', reporter: '上报人', unit: '承办单位', reportedAt: '上报时间',
    },
    filterState: '按状态筛选', filterSupervision: '按督办筛选', detail: '事件详情', description: '事件描述', location: '地点',
    parties: '当事人', events: '办理过程', actions: '可执行操作', noActions: '当前没有您可执行的操作', manual: '人工督办',
    supervision: { on_time: '正常', overdue: '已超期', yellow: '黄牌督办', red: '红牌督办' },
    flagged: '无效操作', pick: '请在列表中选择一个事件', total: '共 {n} 件',
    dialog: {
      title: '{action}', note: '说明', notePlaceholder: '可填写说明', reason: '理由', reasonPlaceholder: '请填写理由',
      evidence: '处理结果与佐证', evidencePlaceholder: '请描述处理结果和佐证材料', unit: '承办单位', platform: '平台',
      days: '延期天数（工作日）', rating: '满意度', channel: '评价渠道', required: '此项必填',
    },
    unitLevel: { county: '县级', township: '乡镇', village: '村社' },
  },
  dashboard: {
    bucket: { within7: '7天内', within30: '8–30天', within90: '31–90天', within180: '91–180天', over180: '180天以上', never: '从未见面' },
    allHouseholds: '全部在住户', everyDays: '每 {n} 天', coverageTotal: '户户见干部覆盖率', verification: '核查率',
    satisfactionBreakdown: '满意度评价', reported: '期间上报事件 {n} 件', seenOf: '已见面 {seen} / {occupied} 户', rateNone: '—',
    area: '区域', period: '统计期间', from: '开始', to: '结束', apply: '查询',
    coverageGrid: '户户见干部覆盖率（按网格）', coverageWorker: '户户见干部覆盖率（按网格员）',
    coverageContactor: '户户见干部覆盖率（按联系人）', daysSince: '距上次入户见面天数分布',
    overdueByRule: '逾期未访（按关爱规则）', byState: '事件（按状态）', byCategory: '事件（按类别）',
    byPlatform: '事件（按平台）', sla: '按期办理率', resolution: '办结率', satisfaction: '满意率',
    households: '户数', ratio: '覆盖率', seen: '已见面', occupied: '常住户', count: '数量', noData: '本期间暂无数据',
  },
  export: {
    title: '导出台账', kind: '导出内容', kinds: { assessment: '考核表', incidents: '事件台账', visits: '走访台账' },
    per: '考核对象', perKind: { grid: '按网格', worker: '按网格员' }, area: '区域', period: '期间',
    start: '开始导出', running: '正在生成…', done: '已生成 {file}', download: '下载', failed: '导出失败：{msg}',
    saveToDevice: '保存到本机', savedTo: '已保存到 {path}',
    masked: '证件号和电话按您的权限脱敏；特殊人群标签仅在有权限时导出。',
  },
}
