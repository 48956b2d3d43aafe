/**
 * The one error type of the API client: every non-2xx answer becomes an `ApiError` built
 * from the server's problem+json body `{status, code, detail, current_version?}`.
 * `detail` is a Chinese sentence meant for the user; `code` is stable for programs.
 */
import { t } from '@/i18n';

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  current_version?: number | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly current_version: number | null;

  constructor(init: { status: number; code: string; detail: string; current_version?: number | null }) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.current_version = init.current_version ?? null;
  }

  /** 409 with a stored version: someone else saved first. */
  get isConflict(): boolean {
    return this.status === 409 && this.code === 'conflict';
  }

  /** Builds the error from a status and a parsed (or unparsable) body. */
  static fromProblem(status: number, body: unknown): ApiError {
    const p = (typeof body === 'object' && body !== null ? body : {}) as ProblemBody;
    const code = typeof p.code === 'string' && p.code ? p.code : `http.${status}`;
    let detail = typeof p.detail === 'string' && p.detail ? p.detail : '';
    if (!detail) {
      if (status >= 500) detail = t('error.server');
      else if (status === 403) detail = t('error.forbidden');
      else if (status === 404) detail = t('error.notFound');
      else detail = t('error.http', { status });
    }
    return new ApiError({ status, code, detail, current_version: p.current_version ?? null });
  }

  /** Reads a failed fetch Response (body consumed). */
  static async fromResponse(res: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      const text = await res.text();
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return ApiError.fromProblem(res.status, body);
  }

  static network(cause?: unknown): ApiError {
    const e = new ApiError({ status: 0, code: 'network', detail: t('error.network') });
    if (cause !== undefined) (e as { cause?: unknown }).cause = cause;
    return e;
  }
}

/**
 * The message to show for any error: the server's Chinese `detail`, except for a stale
 * version (409 `conflict`), which always reads "已被他人修改，请刷新".
 */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.isConflict ? t('error.conflict') : e.detail;
  return t('error.unknown');
}
