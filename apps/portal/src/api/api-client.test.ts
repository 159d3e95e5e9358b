import { describe, expect, it, vi } from 'vitest';
import { fakeFetch } from '../test-support/fake-api';
import { ApiClient, ApiError } from './api-client';

describe('ApiClient', () => {
  it('sends the bearer token and returns the machines', async () => {
    const fake = fakeFetch({ 'GET /api/machines': () => ({ status: 200, body: { value: [] } }) });
    const api = new ApiClient({ token: 'vgs_x', fetch: fake.fetch });
    expect(await api.machines()).toEqual([]);
    expect(fake.calls[0]?.auth).toBe('Bearer vgs_x');
  });

  it('turns an error body into an ApiError with code and hint, and reports a 401', async () => {
    const fake = fakeFetch({
      'POST /api/advancedqueries/run': () => ({
        status: 401,
        body: { error: { code: 'AUTH_INVALID', message: 'the token is not valid', hint: 'sign in again' } },
      }),
    });
    const onUnauthorized = vi.fn();
    const api = new ApiClient({ token: 'vgs_x', fetch: fake.fetch, onUnauthorized });
    const error = await api.hunt('DeviceInfo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'AUTH_INVALID', hint: 'sign in again' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
    expect(fake.calls[0]?.body).toEqual({ Query: 'DeviceInfo' });
  });

  it('does not report a failed sign-in as an ended session', async () => {
    const fake = fakeFetch({
      'POST /api/auth/login': () => ({ status: 401, body: { error: { code: 'AUTH_INVALID', message: 'wrong' } } }),
    });
    const onUnauthorized = vi.fn();
    const api = new ApiClient({ fetch: fake.fetch, onUnauthorized });
    await expect(api.login('default', 'a', 'b')).rejects.toMatchObject({ code: 'AUTH_INVALID' });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('names an unreachable server', async () => {
    const api = new ApiClient({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(api.me()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('keeps a non-JSON error readable', async () => {
    const api = new ApiClient({
      fetch: async () => new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(api.machines()).rejects.toMatchObject({ code: 'HTTP_502', message: 'Bad Gateway' });
  });
});
