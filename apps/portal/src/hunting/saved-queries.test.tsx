import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SavedQuery } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { useAsync } from '../common/use-async';
import { fakeFetch, savedQueryHandlers } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { SavedQueries } from './saved-queries';

const saved = (name: string, over: Partial<SavedQuery> = {}): SavedQuery => ({
  id: name,
  name,
  query: `${name} | take 1`,
  description: '',
  shared: false,
  owner: 'alice',
  createdTime: '2026-11-28T10:00:00.000Z',
  lastUpdatedTime: '2026-11-28T10:00:00.000Z',
  lastUpdatedBy: 'alice',
  ...over,
});

function Panel({ current, onLoad }: { readonly current: string; readonly onLoad: (q: string) => void }) {
  const { api } = useAuth();
  const state = useAsync((signal) => api.savedQueries(signal), [api]);
  return <SavedQueries state={state} reload={state.reload} current={current} onLoad={onLoad} />;
}

describe('SavedQueries', () => {
  it('saves private and shared queries on the server, loads, updates, shares and deletes them', async () => {
    const server = savedQueryHandlers('alice', [saved('team dns', { shared: true, owner: 'bob' })]);
    const loaded: string[] = [];
    renderSignedIn(
      <Panel current="DeviceInfo | take 5" onLoad={(q) => loaded.push(q)} />,
      fakeFetch(server.handlers).fetch,
    );
    const list = await screen.findByRole('list', { name: 'Saved queries' });
    await within(list).findByText('team dns');
    expect(list.textContent).toContain('Shared · bob');
    // Someone else's shared query may be edited, but only its owner shares, unshares or deletes it.
    expect(screen.queryByRole('button', { name: 'Delete team dns' })).toBeNull();
    expect(screen.getByRole('button', { name: "Update team dns with the editor's query" })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Query name'), { target: { value: 'mine' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save query' }));
    expect(await screen.findByText('Saved “mine”.')).toBeTruthy();
    await within(list).findByText('mine');
    fireEvent.click(screen.getByLabelText('Shared'));
    fireEvent.change(screen.getByLabelText('Query name'), { target: { value: 'for all' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save query' }));
    expect(await screen.findByText('Saved “for all”, shared with the tenant.')).toBeTruthy();
    expect(server.list().map((q) => [q.name, q.shared])).toEqual([
      ['for all', true],
      ['mine', false],
      ['team dns', true],
    ]);

    fireEvent.click(within(list).getByText('team dns'));
    expect(loaded).toEqual(['team dns | take 1']);
    fireEvent.click(screen.getByRole('button', { name: "Update team dns with the editor's query" }));
    await screen.findByText('Updated “team dns”.');
    expect(server.list().find((q) => q.id === 'team dns')?.query).toBe('DeviceInfo | take 5');

    fireEvent.click(await screen.findByRole('button', { name: 'Share mine' }));
    await screen.findByText('“mine” is now shared with the tenant.');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete mine' }));
    await screen.findByText('Deleted “mine”.');
    await waitFor(() => expect(within(list).queryByText('mine')).toBeNull());

    fireEvent.change(screen.getByLabelText('Filter saved queries'), { target: { value: 'zzz' } });
    expect(screen.getByText('No saved query matches.')).toBeTruthy();
  });

  it('shows the server refusal and pages a long list', async () => {
    const many = Array.from({ length: 20 }, (_, i) => saved(`q${String(i).padStart(2, '0')}`));
    const fake = fakeFetch({
      'GET /api/queries': () => ({ status: 200, body: { value: many, total: 20 } }),
      'DELETE /api/queries/:id': () => ({
        status: 403,
        body: { error: { code: 'QUERY_FORBIDDEN', message: 'only the owner or an admin may delete a shared query' } },
      }),
    });
    renderSignedIn(<Panel current="x" onLoad={() => {}} />, fake.fetch);
    const list = await screen.findByRole('list', { name: 'Saved queries' });
    await within(list).findByText('q00');
    expect(within(list).getAllByRole('listitem')).toHaveLength(15);
    expect(screen.getByText('1–15 of 20')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '›' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: 'Delete q19' }));
    expect((await screen.findByRole('alert')).textContent).toContain('QUERY_FORBIDDEN');
  });

  it('lets a viewer open queries but not save them', async () => {
    const fake = fakeFetch({
      'GET /api/queries': () => ({ status: 200, body: { value: [saved('s', { shared: true })] } }),
    });
    renderSignedIn(<Panel current="x" onLoad={() => {}} />, fake.fetch, 'viewer', 'vera');
    await screen.findByText('s');
    expect(screen.queryByRole('button', { name: 'Save query' })).toBeNull();
    expect(screen.queryByRole('button', { name: "Update s with the editor's query" })).toBeNull();
    expect(screen.getByText('Viewers can open shared queries; analysts save them.')).toBeTruthy();
  });
});
