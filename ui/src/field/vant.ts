// Registers the Vant components the field screens use (only these are bundled) and loads
// Vant's stylesheet from the package, never from a CDN.
import type { App } from 'vue'
import {
  ActionSheet, Badge, Button, Cascader, Cell, CellGroup, Checkbox, CheckboxGroup, DatePicker, Dialog, Empty,
  Field, Icon, Loading, NavBar, NoticeBar, Popup, Progress, Radio, RadioGroup, Search, Step, Steps, Tabbar, TabbarItem, Tag,
} from 'vant'
import 'vant/lib/index.css'

export function useVant(app: App): void {
  for (const c of [
    ActionSheet, Badge, Button, Cascader, Cell, CellGroup, Checkbox, CheckboxGroup, DatePicker, Dialog, Empty,
    Field, Icon, Loading, NavBar, NoticeBar, Popup, Progress, Radio, RadioGroup, Search, Step, Steps, Tabbar, TabbarItem, Tag,
  ]) {
    app.use(c)
  }
}
