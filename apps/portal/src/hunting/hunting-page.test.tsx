import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/api-client';
import { AuthContext } from '../auth/auth-context';
import { fakeFetch, huntResult, savedQueryHandlers } from '../test-support/fake-api';
import { HuntingPage } from './hunting-page';
import { QueryStore } from './query-store';

// Monaco needs a real browser (the end-to-end test covers it); here the plain editor stands in, as when it fails.
vi.mock('./monaco-setup', () => Promise.reject(new Error('no Monaco in happy-dom')));
vi.mock('./result-chart', () => ({ ResultChart: () => <div>chart</div> }));

// Saved queries live on the server: every page render gets an empty list unless a test brings its own handlers.
function renderPage(fetchImpl: typeof fetch, initialQuery?: string, role = 'viewer') {
  const session = { token: 't', tenant: 'default', username: 'alice', role, expiresAt: null };
  const empty = fakeFetch(savedQueryHandlers().handlers);
  const withQueries: typeof fetch = async (input, init) => {
    const r = await fetchImpl(input, init);
    const unhandled = r.status === 404 && String(input).startsWith('/api/queries');
    return unhandled ? empty.fetch(input, init) : r;
  };
  const api = new ApiClient({ token: 't', fetch: withQueries });
  return render(
    <AuthContext.Provider value={{ session, api, signOut: () => {} }}>
      <HuntingPage initialQuery={initialQuery} store={new QueryStore(localStorage)} />
    </AuthContext.Provider>,
  );
}

describe('HuntingPage', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });

  it('runs the query on Ctrl+Enter, shows the rows and records the run', async () => {
    const fake = fakeFetch({ 'POST /api/advancedqueries/run': () => ({ status: 200, body: huntResult(3) }) });
    renderPage(fake.fetch, 'DeviceInfo | take 3');
    const editor = await screen.findByLabelText('KQL query');
    expect((editor as HTMLTextAreaElement).value).toBe('DeviceInfo | take 3');
    fireEvent.keyDown(editor, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByText('3 rows')).toBeTruthy();
    expect(fake.queries()).toEqual(['DeviceInfo | take 3']);
    expect(screen.getByRole('tab', { name: 'History (1)' })).toBeTruthy();
  });

  it('shows a query error with the server code and hint', async () => {
    const fake = fakeFetch({
      'POST /api/advancedqueries/run': () => ({
        status: 400,
        body: { error: { code: 'KS142', message: 'The name Foo does not refer to any table', hint: 'check the name' } },
      }),
    });
    renderPage(fake.fetch, 'Foo');
    fireEvent.click(await screen.findByRole('button', { name: 'Run query' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('KS142: The name Foo does not refer to any table');
    expect(alert.textContent).toContain('check the name');
  });

  it('inserts schema names into the editor, shows row counts and saves queries', async () => {
    const tenant = {
      name: 'default',
      retentionDays: 180,
      storeSizeBytes: 1,
      tables: [{ table: 'DeviceInfo', rows: 1234 }],
    };
    const queries = savedQueryHandlers();
    const fake = fakeFetch({ 'GET /api/tenant': () => ({ status: 200, body: tenant }), ...queries.handlers });
    renderPage(fake.fetch, '', 'analyst');
    expect(await screen.findByText('1,234')).toBeTruthy();
    const editor = (await screen.findByLabelText('KQL query')) as HTMLTextAreaElement;
    await waitFor(() => expect(editor.placeholder).toBe('KQL query'));
    fireEvent.click(screen.getByRole('button', { name: 'DeviceProcessEvents' }));
    expect(editor.value).toBe('DeviceProcessEvents');
    fireEvent.change(screen.getByLabelText('Query name'), { target: { value: 'procs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save query' }));
    expect(await screen.findByRole('button', { name: /^procs/ })).toBeTruthy();
    expect(queries.list()).toMatchObject([{ name: 'procs', query: 'DeviceProcessEvents', shared: false }]);
    fireEvent.change(editor, { target: { value: 'other' } });
    fireEvent.click(screen.getByRole('button', { name: /^procs/ }));
    expect(editor.value).toBe('DeviceProcessEvents');
  });

  it('offers a chart for a render and switches to it', async () => {
    const chartResult = { ...huntResult(3), Chart: { type: 'columnchart', properties: {} } };
    const fake = fakeFetch({ 'POST /api/advancedqueries/run': () => ({ status: 200, body: chartResult }) });
    renderPage(fake.fetch, 'X | render columnchart');
    fireEvent.click(await screen.findByRole('button', { name: 'Run query' }));
    expect(await screen.findByText('chart')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(await screen.findByText('3 rows')).toBeTruthy();
  });

  it('saves the current query as a detection rule and shows why the server refuses one', async () => {
    const bodies: unknown[] = [];
    let refuse = true;
    const fake = fakeFetch({
      'POST /api/detectionrules': (body) => {
        bodies.push(body);
        return refuse
          ? {
              status: 400,
              body: {
                error: {
                  code: 'DETECTION_RULE_COLUMNS',
                  message: 'the query must return Timestamp and ReportId',
                  hint: 'keep them through summarize',
                },
              },
            }
          : { status: 201, body: { id: 'rule-1', ...(body as object) } };
      },
    });
    renderPage(fake.fetch, 'DeviceProcessEvents | where FileName == "evil"');
    fireEvent.click(await screen.findByRole('button', { name: 'Create detection rule' }));
    const form = screen.getByRole('form', { name: 'Create detection rule' });
    fireEvent.change(screen.getByLabelText('Rule name'), { target: { value: 'Evil runs' } });
    fireEvent.change(screen.getByLabelText('Frequency'), { target: { value: '3H' } });
    fireEvent.change(screen.getByLabelText('Alert title'), { target: { value: 'Evil ran' } });
    fireEvent.change(screen.getByLabelText('Severity'), { target: { value: 'High' } });
    fireEvent.change(screen.getByLabelText('MITRE techniques'), { target: { value: 't1059, T1204.002' } });
    fireEvent.submit(form);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('DETECTION_RULE_COLUMNS: the query must return Timestamp and ReportId');
    expect(alert.textContent).toContain('keep them through summarize');
    expect(bodies[0]).toEqual({
      name: 'Evil runs',
      query: 'DeviceProcessEvents | where FileName == "evil"',
      schedule: '3H',
      alertTemplate: {
        title: 'Evil ran',
        severity: 'High',
        category: 'SuspiciousActivity',
        mitreTechniques: ['T1059', 'T1204.002'],
      },
    });
    refuse = false;
    fireEvent.submit(form);
    expect(await screen.findByText('Saved rule “Evil runs” (rule-1).')).toBeTruthy();
  });
});
