/**
 * Typed API client (openapi-fetch over the generated `paths` of openapi.json).
 *
 *   import { api, unwrap } from '@/api/client';
 *   const page = await unwrap(api.GET('/api/v1/orgs', { params: { query: { q: '镇' } } }));
 *   await unwrap(api.PATCH('/api/v1/orgs/{id}', { params: { path: { id } }, body: patch }));
 *
 * - Every request is same-origin with the session cookie and carries
 *   `X-Requested-With: jiceng` (required by the server on every write).
 * - Every non-2xx answer THROWS an `ApiError` (see errors.ts); network failures throw an
 *   `ApiError` with status 0. So `unwrap()` only has to return `data`.
 * - 401 `auth.required` (not logged in / session expired) calls the registered
 *   `onUnauthorized` hook (→ login page with "登录已超时，请重新登录"), except for the
 *   login call itself; 403 `auth.password_change_required` calls
 *   `onPasswordChangeRequired` (→ /password). Hooks are registered in main.ts.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError } from './errors';

export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'jiceng';
export const LOGIN_PATH = '/api/v1/auth/login';

export interface AuthHooks {
  onUnauthorized(err: ApiError): void;
  onPasswordChangeRequired(err: ApiError): void;
}

let hooks: AuthHooks | null = null;

export function setAuthHooks(h: AuthHooks | null): void {
  hooks = h;
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://x').pathname;
  } catch {
    return url;
  }
}

/** Turns failures into ApiError and runs the auth hooks. Exported for tests. */
export const problemMiddleware: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const err = await ApiError.fromResponse(response.clone());
    const isLogin = pathOf(request.url) === LOGIN_PATH;
    if (err.status === 401 && !isLogin) hooks?.onUnauthorized(err);
    if (err.status === 403 && err.code === 'auth.password_change_required') {
      hooks?.onPasswordChangeRequired(err);
    }
    throw err;
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    return ApiError.network(error);
  },
};

function origin(): string {
  return typeof window !== 'undefined' && window.location?.origin && window.location.origin !== 'null'
    ? window.location.origin
    : '';
}

/** Builds a client (tests pass their own fetch); the app uses the shared `api`. */
export function createApiClient(fetchImpl?: typeof fetch, baseUrl = origin()) {
  const client = createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: CSRF_VALUE },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  client.use(problemMiddleware);
  return client;
}

export const api = createApiClient();

/**
 * The client of the public ballot page (/ballot): no cookies at all (`credentials: 'omit'`),
 * so a ballot never carries the session of whoever is logged in on that browser; the slip's
 * token is the only credential.
 */
export function createAnonymousClient(fetchImpl?: typeof fetch, baseUrl = origin()) {
  const client = createClient<paths>({
    baseUrl,
    credentials: 'omit',
    headers: { [CSRF_HEADER]: CSRF_VALUE },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  client.use(problemMiddleware);
  return client;
}

export const anonymousApi = createAnonymousClient();

/** Returns the data of a call (errors have already been thrown as ApiError). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const r = await call;
  if (!r.response.ok) throw ApiError.fromProblem(r.response.status, r.error);
  return r.data as T;
}
