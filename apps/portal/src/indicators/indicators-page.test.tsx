import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../api/types';
import { fakeFetch } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { IndicatorsPage, importBody } from './indicators-page';

const indicator = (id: string, value: string): Indicator => ({
  id,
  indicatorType: 'FileSha1',
  indicatorValue: value,
  action: 'Alert',
  severity: 'High',
  title: `bad ${value}`,
  expirationTime: null,
  creationTimeDateTimeUtc: '2026-11-28T10:00:00.000Z',
});

describe('IndicatorsPage', () => {
  it('lists, creates, deletes and imports indicators, showing the server code, message and hint', async () => {
    let list = [indicator('1', 'aaa')];
    const bodies: { path: string; body: unknown }[] = [];
    const fake = fakeFetch({
      'GET /api/indicators': () => ({ status: 200, body: { value: list } }),
      'POST /api/indicators': (body) => {
        bodies.push({ path: 'create', body });
        const b = body as Indicator;
        if (b.indicatorValue === 'bad')
          return {
            status: 400,
            body: {
              error: {
                code: 'INDICATOR_VALUE',
                message: 'not a SHA-1',
                hint: '40 hex digits',
                field: 'indicatorValue',
              },
            },
          };
        const made = { ...indicator('2', b.indicatorValue), indicatorType: b.indicatorType };
        list = [...list, made];
        return { status: 201, body: made };
      },
      'DELETE /api/indicators/1': () => {
        list = list.filter((i) => i.id !== '1');
        return { status: 204, body: null };
      },
      'POST /api/indicators/import': (body) => {
        bodies.push({ path: 'import', body });
        return {
          status: 200,
          body: {
            value: [indicator('3', 'ccc')],
            failed: 1,
            problems: [{ code: 'STIX_PATTERN_TYPE', message: 'pattern_type sigma is not supported' }],
          },
        };
      },
    });
    renderSignedIn(<IndicatorsPage />, fake.fetch);
    const table = await screen.findByRole('table', { name: 'Indicators' });
    expect(within(table).getByText('aaa')).toBeTruthy();

    const form = screen.getByRole('form', { name: 'New indicator' });
    fireEvent.change(within(form).getByLabelText('Type'), { target: { value: 'FileSha1' } });
    fireEvent.change(within(form).getByLabelText('Value'), { target: { value: 'bad' } });
    fireEvent.submit(form);
    const error = await within(form).findByRole('alert');
    expect(error.textContent).toContain('INDICATOR_VALUE: not a SHA-1');
    expect(error.textContent).toContain('40 hex digits');

    fireEvent.change(within(form).getByLabelText('Value'), { target: { value: 'bbb' } });
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: 'Block' } });
    fireEvent.change(within(form).getByLabelText('Severity'), { target: { value: 'Low' } });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Bad tool' } });
    fireEvent.change(within(form).getByLabelText('Expiration'), { target: { value: '2027-01-01T00:00' } });
    fireEvent.submit(form);
    expect(await screen.findByText('Saved FileSha1 bbb.')).toBeTruthy();
    expect(bodies[1]?.body).toMatchObject({
      indicatorType: 'FileSha1',
      indicatorValue: 'bbb',
      action: 'Block',
      severity: 'Low',
      title: 'Bad tool',
    });
    expect((bodies[1]?.body as { expirationTime?: string } | undefined)?.expirationTime).toMatch(
      /^2027-01-01T|^2026-12-31T/,
    );
    await within(screen.getByRole('table', { name: 'Indicators' })).findByText('bbb');

    fireEvent.click(screen.getByRole('button', { name: 'Delete aaa' }));
    expect(await screen.findByText('Deleted aaa.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Delete aaa' })).toBeNull());

    const importForm = screen.getByRole('form', { name: 'Import indicators' });
    fireEvent.change(within(importForm).getByRole('textbox'), {
      target: { value: '[{"indicatorType":"FileSha1","indicatorValue":"ccc","action":"Alert"}]' },
    });
    fireEvent.submit(importForm);
    expect(await screen.findByText('Imported 1 indicators, 1 failed.')).toBeTruthy();
    expect(bodies[2]?.body).toEqual({
      Indicators: [{ indicatorType: 'FileSha1', indicatorValue: 'ccc', action: 'Alert' }],
    });
    expect(screen.getByRole('list', { name: 'Import problems' }).textContent).toContain('STIX_PATTERN_TYPE');

    fireEvent.change(within(importForm).getByRole('textbox'), { target: { value: '{not json' } });
    fireEvent.submit(importForm);
    expect((await within(importForm).findByRole('alert')).textContent).toContain('The text is not JSON');
  });

  it('edits an indicator, and filters and pages a long list', async () => {
    let list = Array.from({ length: 30 }, (_, i) => indicator(String(i), `v${String(i).padStart(2, '0')}`));
    const patches: unknown[] = [];
    const fake = fakeFetch({
      'GET /api/indicators': () => ({ status: 200, body: { value: list } }),
      'PATCH /api/indicators/:id': (body, _h, url) => {
        patches.push(body);
        const b = body as Partial<Indicator>;
        if (b.title === '')
          return { status: 400, body: { error: { code: 'INDICATOR_TITLE', message: 'title is required' } } };
        const id = url.pathname.split('/').pop();
        list = list.map((i) => (i.id === id ? { ...i, ...b } : i));
        return { status: 200, body: list.find((i) => i.id === id) };
      },
    });
    renderSignedIn(<IndicatorsPage />, fake.fetch);
    const table = await screen.findByRole('table', { name: 'Indicators' });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(screen.getByText('1–25 of 30 · page 1 of 2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    expect(within(screen.getByRole('table', { name: 'Indicators' })).getAllByRole('row')).toHaveLength(6);
    fireEvent.change(screen.getByLabelText('Filter indicators'), { target: { value: 'v07' } });
    expect(within(screen.getByRole('table', { name: 'Indicators' })).getAllByRole('row')).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Edit v07' }));
    const form = screen.getByRole('form', { name: 'Edit indicator v07' });
    expect((within(form).getByLabelText('Title') as HTMLInputElement).value).toBe('bad v07');
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: '' } });
    fireEvent.submit(form);
    expect((await within(form).findByRole('alert')).textContent).toContain('INDICATOR_TITLE');
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'renamed' } });
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: 'Audit' } });
    fireEvent.change(within(form).getByLabelText('Severity'), { target: { value: 'Low' } });
    fireEvent.submit(form);
    expect(await screen.findByText('Saved FileSha1 v07.')).toBeTruthy();
    expect(patches.at(-1)).toEqual({
      action: 'Audit',
      severity: 'Low',
      title: 'renamed',
      description: '',
      expirationTime: null,
    });
    expect(screen.queryByRole('form', { name: 'Edit indicator v07' })).toBeNull();
    const row = await within(screen.getByRole('table', { name: 'Indicators' })).findByText('renamed');
    expect(row.closest('tr')?.textContent).toContain('Audit');
  });

  it('sends a STIX bundle as it is', () => {
    expect(importBody('{"type":"bundle","objects":[]}')).toEqual({ type: 'bundle', objects: [] });
  });
});
