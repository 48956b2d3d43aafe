import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Phones and narrow windows: below 768 px the menu becomes a drawer. */
export const MOBILE_QUERY = '(max-width: 767px)';

export function useIsMobile(): Ref<boolean> {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(MOBILE_QUERY) : null;
  const isMobile = ref(mq?.matches ?? false);
  const update = (e: MediaQueryListEvent) => {
    isMobile.value = e.matches;
  };
  onMounted(() => mq?.addEventListener('change', update));
  onBeforeUnmount(() => mq?.removeEventListener('change', update));
  return isMobile;
}
