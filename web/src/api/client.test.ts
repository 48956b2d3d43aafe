import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnonymousClient, createApiClient, setAuthHooks, unwrap } from './client';
import { ApiError, errorMessage } from './errors';
import { buildQuery, memberExportUrl } from './query';

function problem(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'x', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function clientWith(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
    const req = input as Request;
    seen.push(req);
    return respond(req);
  });
  return { api: createApiClient(fetchImpl as unknown as typeof fetch, 'http://localhost'), seen };
}

afterEach(() => setAuthHooks(null));

describe('API client', () => {
  it('sends X-Requested-With: jiceng and same-origin credentials on every request', async () => {
    const { api, seen } = clientWith(() => new Response(null, { status: 204 }));
    await api.POST('/api/v1/auth/logout');
    await api.GET('/api/v1/codes');
    expect(seen).toHaveLength(2);
    for (const r of seen) {
      expect(r.headers.get('X-Requested-With')).toBe('jiceng');
      expect(r.credentials).toBe('same-origin');
    }
  });

  it('the ballot page client sends no cookies, but the header, and reads the used-slip message', async () => {
    const seen: Request[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      seen.push(input as Request);
      return problem(409, { code: 'duplicate', detail: '这张测评票已经投过票，每张票只能使用一次' });
    });
    const anon = createAnonymousClient(fetchImpl as unknown as typeof fetch, 'http://localhost');
    const err = await unwrap(anon.POST('/api/v1/ballots/slip', { body: { token: 'ABCDEFGHJK' } })).catch((e: unknown) => e);
    expect(seen[0]!.credentials).toBe('omit');
    expect(seen[0]!.headers.get('X-Requested-With')).toBe('jiceng');
    expect(errorMessage(err)).toBe('这张测评票已经投过票，每张票只能使用一次');
  });

  it('returns data through unwrap', async () => {
    const { api } = clientWith(
      () => new Response(JSON.stringify({ items: [], total: 0, page: 1, page_size: 20 }), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    const page = await unwrap(api.GET('/api/v1/orgs', { params: { query: { q: 'x' } } }));
    expect(page.total).toBe(0);
  });

  it('throws ApiError with the problem fields; 409 reads 已被他人修改，请刷新', async () => {
    const { api } = clientWith(() => problem(409, { code: 'conflict', detail: '记录已被修改', current_version: 7 }));
    const err = await api
      .PATCH('/api/v1/orgs/{id}', { params: { path: { id: 1 } }, body: { version: 6 } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(409);
    expect(e.code).toBe('conflict');
    expect(e.current_version).toBe(7);
    expect(e.isConflict).toBe(true);
    expect(errorMessage(e)).toBe('已被他人修改，请刷新');
  });

  it('shows the server detail for other errors', async () => {
    const { api } = clientWith(() => problem(422, { code: 'member.id_card_check_digit', detail: '身份证号码校验位错误，应为 X' }));
    const e = (await unwrap(api.GET('/api/v1/codes')).catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('member.id_card_check_digit');
    expect(errorMessage(e)).toBe('身份证号码校验位错误，应为 X');
  });

  it('calls onUnauthorized on 401 except for the login call', async () => {
    const onUnauthorized = vi.fn();
    const onPasswordChangeRequired = vi.fn();
    setAuthHooks({ onUnauthorized, onPasswordChangeRequired });
    const { api } = clientWith(() => problem(401, { code: 'auth.required', detail: '请先登录' }));
    await expect(api.GET('/api/v1/me')).rejects.toMatchObject({ status: 401, code: 'auth.required' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(api.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b' } })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onPasswordChangeRequired).not.toHaveBeenCalled();
  });

  it('calls onPasswordChangeRequired on 403 auth.password_change_required', async () => {
    const onPasswordChangeRequired = vi.fn();
    setAuthHooks({ onUnauthorized: vi.fn(), onPasswordChangeRequired });
    const { api } = clientWith(() => problem(403, { code: 'auth.password_change_required', detail: '首次登录须先修改初始密码' }));
    await expect(api.GET('/api/v1/orgs')).rejects.toMatchObject({ status: 403 });
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
  });

  it('turns network failures and non-JSON answers into ApiError', async () => {
    const { api } = clientWith(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.GET('/api/v1/codes')).rejects.toMatchObject({ status: 0, code: 'network', detail: '无法连接服务器，请检查网络后重试' });
    const { api: api2 } = clientWith(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    await expect(api2.GET('/api/v1/codes')).rejects.toMatchObject({ status: 502, code: 'http.502', detail: '服务器内部错误，请稍后重试或联系管理员' });
  });
});

describe('query strings and the member export link', () => {
  it('drops empty values and repeats arrays', () => {
    expect(buildQuery({ a: 1, b: '', c: null, d: undefined, e: true, f: ['x', 'y'] })).toBe('a=1&e=true&f=x&f=y');
  });
  it('builds the export link from the list filters without paging', () => {
    expect(memberExportUrl({ org: 5, q: '张', status: 'full', page: 3, page_size: 50 } as never)).toBe(
      '/api/v1/members/export.xlsx?org=5&q=%E5%BC%A0&status=full',
    );
    expect(memberExportUrl({})).toBe('/api/v1/members/export.xlsx');
  });
});
