/**
 * The name of an org id held in a ref (for an OrgPicker's label and page headings): the
 * user's role orgs are known from the session, any other org is read once
 * (GET /api/v1/orgs/{id}); '' while unknown or unreadable.
 *
 *   const orgName = useOrgName(orgId);
 */
import { ref, watch, type Ref } from 'vue';
import { api, unwrap } from '@/api/client';
import { useSessionStore } from '@/stores/session';

export function useOrgName(id: Ref<number | null>): Ref<string> {
  const session = useSessionStore();
  const name = ref('');
  const cache = new Map<number, string>();
  let seq = 0;
  watch(
    id,
    async (org) => {
      const mine = ++seq;
      if (org === null) {
        name.value = '';
        return;
      }
      const known = session.roleOrgs.find((g) => g.org_id === org)?.org_name ?? cache.get(org);
      if (known) {
        name.value = known;
        return;
      }
      name.value = '';
      try {
        const o = await unwrap(api.GET('/api/v1/orgs/{id}', { params: { path: { id: org } } }));
        cache.set(org, o.name);
        if (mine === seq) name.value = o.name;
      } catch {
        if (mine === seq) name.value = '';
      }
    },
    { immediate: true },
  );
  return name;
}
