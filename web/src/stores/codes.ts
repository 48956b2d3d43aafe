/**
 * Code tables from GET /api/v1/codes (loaded once per session), for selects and labels.
 *
 *   const codes = useCodesStore(); await codes.ensure();
 *   codes.options('education')            → [{code,label}, …]
 *   codes.label('org_kind', 'branch')     → label, or the code itself if unknown
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { fetchCodes } from '@/api/services';
import type { CodeItem, CodeTables } from '@/api/types';

export const useCodesStore = defineStore('codes', () => {
  const tables = ref<CodeTables>({});
  const ready = ref(false);
  let pending: Promise<void> | null = null;

  function ensure(): Promise<void> {
    if (ready.value) return Promise.resolve();
    if (!pending) {
      pending = fetchCodes()
        .then((t) => {
          tables.value = t;
          ready.value = true;
        })
        .finally(() => {
          pending = null;
        });
    }
    return pending;
  }

  function options(table: string): CodeItem[] {
    return tables.value[table] ?? [];
  }

  function label(table: string, code: string | null | undefined): string {
    if (code === null || code === undefined) return '';
    return options(table).find((i) => i.code === code)?.label ?? code;
  }

  return { tables, ready, ensure, options, label };
});
