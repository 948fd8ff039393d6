// The Element Plus components the console uses, registered one by one so the bundle holds
// only these (the field app never imports this file). Styles: Element Plus's compiled CSS.
import type { App } from 'vue'
import {
  ElAlert, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElInputNumber, ElLoading,
  ElMain, ElMenu, ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
  ElResult, ElSelect, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeline, ElTimelineItem,
} from 'element-plus'
import 'element-plus/dist/index.css'

const COMPONENTS = [
  ElAlert, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElInputNumber,
  ElMain, ElMenu, ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
  ElResult, ElSelect, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeline, ElTimelineItem,
]

export function useElement(app: App): void {
  for (const c of COMPONENTS) app.use(c)
  app.directive('loading', ElLoading.directive)
}
