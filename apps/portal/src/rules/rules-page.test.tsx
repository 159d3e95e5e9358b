import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DetectionRule, RuleList, SigmaRule } from '../api/types';
import { fakeFetch } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { RulesPage } from './rules-page';

const sigma = (i: number): SigmaRule => ({
  id: `rule-${i}`,
  title: `Rule ${i}`,
  level: 'high',
  techniques: ['T1059'],
  file: `/content/sigma/r${i}.yml`,
  mapped: i !== 1,
});

function ruleList(value: SigmaRule[], total: number): RuleList {
  return {
    value,
    total,
    folders: ['/srv/rules'],
    correlations: 2,
    diagnostics: [
      {
        code: 'SIGMA_UNKNOWN_MODIFIER',
        severity: 'error',
        file: '/content/sigma/r0.yml',
        line: 12,
        message: 'bad |foo',
      },
      { code: 'SIGMA_UNMAPPED', severity: 'warning', file: '/content/sigma/r0.yml', line: 3, message: 'no mapping' },
      { code: 'SIGMA_YAML', severity: 'error', file: '/srv/rules/broken.yml', line: 1, message: 'not YAML' },
      { code: 'SIGMA_DEPRECATED', severity: 'warning', file: '/srv/rules/old.yml', line: 2, message: 'old field' },
    ],
  };
}

const detection = (name: string, over: Partial<DetectionRule> = {}): DetectionRule => ({
  id: name,
  name,
  query: `DeviceProcessEvents | where FileName == "${name}"`,
  schedule: '1H',
  enabled: true,
  alertTemplate: { title: `${name} seen`, severity: 'Medium', category: 'Execution', mitreTechniques: ['T1105'] },
  lastRunTime: '2026-11-28T10:00:00.000Z',
  lastRunStatus: 'Completed',
  lastRunError: null,
  lastRunAlerts: 1,
  createdBy: 'alice',
  ...over,
});

describe('RulesPage', () => {
  it('lists Sigma rules paged and searched by the server, with their load diagnostics per file', async () => {
    const urls: string[] = [];
    const fake = fakeFetch({
      'GET /api/rules': () => ({
        status: 200,
        body: ruleList(
          Array.from({ length: 25 }, (_, i) => sigma(i)),
          60,
        ),
      }),
    });
    renderSignedIn(<RulesPage tab="sigma" />, (input, init) => {
      urls.push(String(input));
      return fake.fetch(input, init);
    });
    const table = await screen.findByRole('table', { name: 'Sigma rules' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(25);
    expect(rows[0]?.textContent).toContain('1 errors, 1 warnings');
    expect(rows[1]?.textContent).toContain('Not mapped');
    expect(screen.getByText('60')).toBeTruthy();
    expect(screen.getByText('2 load errors, 2 warnings in 3 files')).toBeTruthy();
    expect(urls.at(-1)).toBe('/api/rules?%24top=25&%24skip=0');

    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(urls.at(-1)).toBe('/api/rules?%24top=25&%24skip=25'));
    await screen.findByRole('table', { name: 'Sigma rules' });
    fireEvent.change(screen.getByLabelText('Search rules'), { target: { value: 'T1059' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(urls.at(-1)).toBe('/api/rules?q=T1059&%24top=25&%24skip=0'));

    const files = await screen.findByRole('list', { name: 'Rule files with diagnostics' });
    const fileNames = () =>
      [...files.querySelectorAll('.diag-file summary > span:first-child')].map((e) => e.textContent);
    expect(fileNames()).toEqual(['/content/sigma/r0.yml', '/srv/rules/broken.yml', '/srv/rules/old.yml']);
    expect(files.textContent).toContain('line 12: bad |foo');
    fireEvent.click(screen.getByLabelText('Errors only'));
    expect(fileNames()).toEqual(['/content/sigma/r0.yml', '/srv/rules/broken.yml']);
    fireEvent.change(screen.getByLabelText('Filter files'), { target: { value: 'not yaml' } });
    expect(fileNames()).toEqual(['/srv/rules/broken.yml']);
  });

  it('says when a search matches nothing and shows a load failure with retry', async () => {
    let fail = true;
    const fake = fakeFetch({
      'GET /api/rules': () =>
        fail
          ? { status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }
          : { status: 200, body: { ...ruleList([], 0), diagnostics: [] } },
    });
    renderSignedIn(<RulesPage tab="sigma" />, fake.fetch);
    expect((await screen.findByRole('alert')).textContent).toContain('INTERNAL');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No Sigma rule is loaded.')).toBeTruthy();
    expect(screen.getByText('Every rule file loaded without a problem.')).toBeTruthy();
  });

  it('lists custom detections with their last run, filtered and paged in the browser', async () => {
    const rules = [
      ...Array.from({ length: 27 }, (_, i) => detection(`rule-${String(i).padStart(2, '0')}`)),
      detection('certutil', { lastRunStatus: 'Failed', lastRunError: 'HUNT_TIMEOUT: too slow', enabled: false }),
    ];
    const fake = fakeFetch({ 'GET /api/detectionrules': () => ({ status: 200, body: { value: rules } }) });
    renderSignedIn(<RulesPage tab="custom" />, fake.fetch);
    const table = await screen.findByRole('table', { name: 'Custom detection rules' });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(screen.getByText('1–25 of 28 · page 1 of 2')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Last run failed'));
    const failing = screen.getByRole('table', { name: 'Custom detection rules' });
    const row = within(failing).getAllByRole('row')[1];
    expect(row?.textContent).toContain('certutil');
    expect(row?.textContent).toContain('HUNT_TIMEOUT: too slow');
    expect(row?.textContent).toContain('Off');
    expect(within(failing).getByRole('link', { name: 'certutil' }).getAttribute('href')).toContain('#/hunting?query=');
    fireEvent.click(screen.getByLabelText('Last run failed'));
    fireEvent.change(screen.getByLabelText('Filter rules'), { target: { value: 'nothing-like-this' } });
    expect(screen.getByText('No rule matches the filter.')).toBeTruthy();
  });
});
