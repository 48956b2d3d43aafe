/**
 * The org a subtree screen starts on: `?org=` when it is a positive id, else the top of the
 * user's first role; with its name for the OrgPicker's label and headings.
 *
 *   const { orgId, orgName } = useRouteOrg();
 */
import { ref, type Ref } from 'vue';
import { useRoute } from 'vue-router';
import { useSessionStore } from '@/stores/session';
import { useOrgName } from './useOrgName';

export function useRouteOrg(): { orgId: Ref<number | null>; orgName: Ref<string> } {
  const route = useRoute();
  const session = useSessionStore();
  const q = Number(route.query.org);
  const orgId = ref<number | null>(Number.isInteger(q) && q > 0 ? q : (session.roleOrgs[0]?.org_id ?? null));
  return { orgId, orgName: useOrgName(orgId) };
}
