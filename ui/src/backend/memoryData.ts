// Demo data for the in-memory backend (memory.ts): a handful of hand-written Chinese
// households in a Lishui community, plus deterministic generated ones to fill a large grid
// (`?demo=1&n=3000`). Test and demo data only; the real app reads the device store.
import type { CategoryOption, Choice } from '../bindings/field'
import { checkChar } from '../lib/validate'

export type DemoMember = {
  id: string; name: string; relation: string; id_kind: string | null; id_number: string | null
  phone: string | null; birth_year: number | null
}
export type DemoHousehold = {
  id: string; address: string; micro_grid_id: string; status: string; tags: string[]
  special_tags: string[]; members: DemoMember[]; days_since_seen: number | null; due: string | null
}

export const MICRO_GRIDS: Choice[] = [
  { value: 'mg-1', label: '1号楼微网格' },
  { value: 'mg-2', label: '2号楼微网格' },
  { value: 'mg-3', label: '下屋自然村' },
]

export const CATEGORIES: CategoryOption[] = [
  { code: 'safety', parent: null, name: '平安综治', platform: null },
  { code: 'dispute', parent: 'safety', name: '邻里纠纷', platform: 'comprehensive' },
  { code: 'minor_dispute', parent: 'safety', name: '家庭小矛盾（当场调解）', platform: 'in_grid' },
  { code: 'market', parent: null, name: '市场监管', platform: null },
  { code: 'food_safety', parent: 'market', name: '食品安全', platform: 'market' },
  { code: 'enforcement', parent: null, name: '综合执法', platform: null },
  { code: 'fire_hazard', parent: 'enforcement', name: '消防隐患', platform: 'law_enforcement' },
  { code: 'garbage', parent: 'enforcement', name: '垃圾乱堆', platform: 'law_enforcement' },
  { code: 'service', parent: null, name: '便民服务', platform: null },
  { code: 'proxy', parent: 'service', name: '代办服务', platform: 'public_service' },
  { code: 'road_light', parent: 'service', name: '路灯损坏', platform: 'public_service' },
  { code: 'grid', parent: null, name: '网格自办', platform: null },
  { code: 'cleanup', parent: 'grid', name: '卫生清理', platform: 'in_grid' },
  { code: 'reminder', parent: 'grid', name: '安全提醒', platform: 'in_grid' },
]

function rid(first17: string): string {
  return first17 + checkChar(first17)
}

export const HANDWRITTEN: DemoHousehold[] = [
  {
    id: 'hh-0001', address: '莲都区紫金街道丽阳社区1幢1单元101室', micro_grid_id: 'mg-1', status: 'occupied',
    tags: ['elderly_alone', 'very_old'], special_tags: [], days_since_seen: 34, due: 'overdue',
    members: [{ id: 'p-0001', name: '王秀英', relation: 'head', id_kind: 'resident_id', id_number: rid('33110219380307122'), phone: '13857812345', birth_year: 1938 }],
  },
  {
    id: 'hh-0002', address: '莲都区紫金街道丽阳社区1幢1单元202室', micro_grid_id: 'mg-1', status: 'occupied',
    tags: ['minimum_income', 'disabled'], special_tags: ['released_prisoner'], days_since_seen: 12, due: 'due',
    members: [
      { id: 'p-0002', name: '李建国', relation: 'head', id_kind: 'resident_id', id_number: rid('33110219650815001'), phone: '13905781234', birth_year: 1965 },
      { id: 'p-0003', name: '张桂兰', relation: 'spouse', id_kind: 'resident_id', id_number: rid('33110219670203002'), phone: '0578-2123456', birth_year: 1967 },
      { id: 'p-0004', name: '李浩然', relation: 'child', id_kind: null, id_number: null, phone: null, birth_year: 2024 },
    ],
  },
  {
    id: 'hh-0003', address: '莲都区紫金街道丽阳社区2幢3单元501室', micro_grid_id: 'mg-2', status: 'rented',
    tags: [], special_tags: [], days_since_seen: 3, due: null,
    members: [
      { id: 'p-0005', name: '陈晓东', relation: 'tenant', id_kind: 'hmt_permit', id_number: 'H12345678', phone: '13612345678', birth_year: 1990 },
    ],
  },
  {
    id: 'hh-0004', address: '莲都区紫金街道丽阳社区2幢1单元302室', micro_grid_id: 'mg-2', status: 'occupied',
    tags: ['left_behind_child'], special_tags: [], days_since_seen: null, due: 'overdue',
    members: [
      { id: 'p-0006', name: '刘奶奶', relation: 'head', id_kind: 'resident_id', id_number: rid('33110219480512004'), phone: '13757890123', birth_year: 1948 },
      { id: 'p-0007', name: '刘小雨', relation: 'grandchild', id_kind: 'resident_id', id_number: rid('33110220150909006'), phone: null, birth_year: 2015 },
    ],
  },
  {
    id: 'hh-0005', address: '莲都区紫金街道下屋村18号', micro_grid_id: 'mg-3', status: 'occupied',
    tags: ['extreme_poverty'], special_tags: [], days_since_seen: 58, due: 'overdue',
    members: [{ id: 'p-0008', name: '周德福', relation: 'head', id_kind: 'legacy_id', id_number: '331102520101001', phone: '0578-2876543', birth_year: 1952 }],
  },
  {
    id: 'hh-0006', address: '莲都区紫金街道下屋村22号', micro_grid_id: 'mg-3', status: 'empty',
    tags: [], special_tags: [], days_since_seen: 120, due: null, members: [],
  },
  {
    id: 'hh-0007', address: '莲都区紫金街道丽阳社区1幢2单元601室', micro_grid_id: 'mg-1', status: 'occupied',
    tags: [], special_tags: [], days_since_seen: 8, due: null,
    members: [
      { id: 'p-0009', name: 'Emily Clark', relation: 'head', id_kind: 'permanent_residence', id_number: 'USA330080101001', phone: '13588886666', birth_year: 1980 },
      { id: 'p-0010', name: '吴晓燕', relation: 'spouse', id_kind: 'resident_id', id_number: rid('33110219830621002'), phone: '18857801234', birth_year: 1983 },
    ],
  },
  {
    id: 'hh-0008', address: '莲都区紫金街道丽阳社区2幢2单元402室', micro_grid_id: 'mg-2', status: 'occupied',
    tags: ['very_old'], special_tags: [], days_since_seen: 27, due: 'due',
    members: [{ id: 'p-0011', name: '郑秋菊', relation: 'head', id_kind: 'resident_id', id_number: rid('33110219360101002'), phone: '13967801111', birth_year: 1936 }],
  },
]

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶程苏吕魏丁'
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽华', '海燕', '伟', '芳', '军', '敏', '静', '磊', '洋', '艳', '勇', '娟', '涛', '明', '超', '霞', '晓东', '春梅', '国华', '玉兰', '子涵', '浩宇']
const CARE = ['elderly_alone', 'very_old', 'disabled', 'minimum_income', 'extreme_poverty', 'left_behind_child']

/** Deterministic households numbered from `from` (a simple LCG, no randomness between runs). */
export function generated(count: number, from = HANDWRITTEN.length + 1): DemoHousehold[] {
  let seed = 20181231
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >>> 8) % n
  }
  const out: DemoHousehold[] = []
  for (let i = 0; i < count; i++) {
    const k = from + i
    const building = 1 + (k % 30)
    const unit = 1 + rnd(4)
    const room = `${1 + rnd(18)}0${1 + rnd(4)}`
    const mg = MICRO_GRIDS[building % MICRO_GRIDS.length].value
    const size = 1 + rnd(4)
    const surname = SURNAMES[rnd(SURNAMES.length)]
    const members: DemoMember[] = []
    for (let m = 0; m < size; m++) {
      const year = m === 0 ? 1940 + rnd(50) : 1960 + rnd(60)
      members.push({
        id: `p-g${k}-${m}`, name: (m === 1 ? SURNAMES[rnd(SURNAMES.length)] : surname) + GIVEN[rnd(GIVEN.length)],
        relation: m === 0 ? 'head' : m === 1 ? 'spouse' : 'child', id_kind: 'resident_id',
        id_number: rid(`331102${year}0${1 + rnd(9)}1${rnd(9)}${String(100 + rnd(899))}`),
        phone: rnd(5) === 0 ? null : `13${3 + rnd(7)}${String(10000000 + rnd(89999999))}`, birth_year: year,
      })
    }
    const seen = rnd(6) === 0 ? null : rnd(90)
    out.push({
      id: `hh-${String(k).padStart(4, '0')}`, address: `莲都区紫金街道丽阳社区${building}幢${unit}单元${room}室`,
      micro_grid_id: mg, status: rnd(10) === 0 ? 'rented' : 'occupied',
      tags: rnd(4) === 0 ? [CARE[rnd(CARE.length)]] : [], special_tags: [], members,
      days_since_seen: seen, due: seen === null || seen > 60 ? 'overdue' : seen > 45 ? 'due' : null,
    })
  }
  return out
}
