/**
 * The outcome of a client-side check. Failures carry the server's stable error code
 * (the same `code` the API answers with) and a message-catalogue key with its parameters,
 * so the UI shows the same wording as the server would, from `src/i18n/`.
 */
export type Check<T = string> =
  | { ok: true; value: T }
  | { ok: false; code: string; key: string; params?: Record<string, string | number> };

export function pass<T>(value: T): Check<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: string,
  key: string,
  params?: Record<string, string | number>,
): Check<T> {
  return params ? { ok: false, code, key, params } : { ok: false, code, key };
}
