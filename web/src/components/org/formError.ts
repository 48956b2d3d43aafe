/**
 * What a dialog shows when the server refuses a write: the server's Chinese `detail`, or —
 * for a stale `version` (409 `conflict`) — "已被他人修改，请刷新" with a reload offer.
 */
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiError, errorMessage } from '@/api/errors';

export function useFormError() {
  const message = ref('');
  const conflict = ref(false);
  function clear(): void {
    message.value = '';
    conflict.value = false;
  }
  /** Records and toasts the failure; returns whether it was a version conflict. */
  function report(e: unknown): boolean {
    const isConflict = e instanceof ApiError && e.isConflict;
    conflict.value = isConflict;
    message.value = errorMessage(e);
    ElMessage.error(message.value);
    return isConflict;
  }
  return { message, conflict, clear, report };
}

/** Trimmed text, or null when empty (for optional API fields). */
export function orNull(v: string | null | undefined): string | null {
  const s = (v ?? '').trim();
  return s === '' ? null : s;
}
