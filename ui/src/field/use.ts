// What every field screen needs: the backend, the stores, `t`, code labels and a toast for
// errors in the current language.
import { useI18n } from 'vue-i18n'
import { showFailToast } from 'vant'
import { backend } from '../backend'
import { errorText, toAppError } from '../backend/errors'
import { stores } from '../lib/stores'
import { codeLabel, currentLocale } from '../i18n'
import type { Translate } from '../lib/format'

export function useField() {
  const { t } = useI18n()
  const st = stores()
  const tr = t as unknown as Translate
  const errText = (e: unknown) => errorText(toAppError(e), currentLocale())
  const fail = (e: unknown) => {
    showFailToast({ message: errText(e), wordBreak: 'break-word', duration: 3000 })
  }
  return { b: backend(), t, tr, st, label: codeLabel, errText, fail }
}
