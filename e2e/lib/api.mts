// The streaming backend's routes as the guest user, for tests that read
// figures rather than pages.
export const backendUrl =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

/** A Backstage token of the guest user (the local sign-in). */
export async function guestToken(): Promise<string> {
  const res = await fetch(
    `${backendUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  if (!res.ok) {
    throw new Error(`guest sign-in: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as {
    backstageIdentity?: { token?: string };
  };
  const token = body.backstageIdentity?.token;
  if (!token) throw new Error('guest sign-in: no token in the answer');
  return token;
}

/** GET /api/streaming/PATH as JSON; a non-2xx answer is an error. */
export async function apiGet<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${backendUrl}/api/streaming/${path}`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}
