/**
 * i18n setup: vue-i18n (Composition API mode) with the zh-CN catalogue as default and
 * fallback. Element Plus's own locale follows `currentLocale` (see App.vue).
 *
 * In components:   const { t } = useI18n();   …   t('home.title')
 * In templates:    {{ t('home.title') }}  (or $t)
 * Elsewhere:       import { t } from '@/i18n';
 */
import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from './zh-CN';
import en from './en';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'jiceng.locale';

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage unavailable (private mode, tests): use the default
  }
  return 'zh-CN';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

/** Translate outside components (stores, API client, validators' rules). */
export function t(key: string, params?: Record<string, unknown>): string {
  return params ? i18n.global.t(key, params) : i18n.global.t(key);
}

/** Whether a key exists (in the current locale or the fallback). */
export function te(key: string): boolean {
  return i18n.global.te(key) || i18n.global.te(key, 'zh-CN');
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // ignore
  }
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}
