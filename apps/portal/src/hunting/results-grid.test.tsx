import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { huntResult } from '../test-support/fake-api';
import { ResultsGrid } from './results-grid';

const firstColumn = () =>
  within(screen.getByRole('table', { name: 'Query results' }))
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.querySelector('td')?.textContent);

describe('ResultsGrid', () => {
  it('sorts by a header click and filters rows', () => {
    render(<ResultsGrid result={huntResult(5)} />);
    expect(screen.getByText('5 rows')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Count' }));
    // Counts are 0, 7, 4, 1, 8 for files 0–4.
    expect(firstColumn()).toEqual(['file-0.exe', 'file-3.exe', 'file-2.exe', 'file-1.exe', 'file-4.exe']);
    fireEvent.click(screen.getByRole('button', { name: /Count/ }));
    expect(firstColumn()[0]).toBe('file-4.exe');
    expect(screen.getByRole('columnheader', { name: /Count/ }).getAttribute('aria-sort')).toBe('descending');
    fireEvent.change(screen.getByLabelText('Filter results'), { target: { value: 'file-3' } });
    expect(firstColumn()).toEqual(['file-3.exe']);
    expect(screen.getByText('1 of 5 rows')).toBeTruthy();
  });

  it('pages large results by 100 rows', () => {
    render(<ResultsGrid result={huntResult(250)} />);
    expect(firstColumn()).toHaveLength(100);
    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    expect(firstColumn()).toHaveLength(50);
    expect(screen.getByText('201–250 of 250 · page 3 of 3')).toBeTruthy();
  });

  it('says when the row limit cut the results', () => {
    render(<ResultsGrid result={{ ...huntResult(2), Truncated: true }} />);
    expect(screen.getByText('2 rows (truncated by the row limit)')).toBeTruthy();
  });
});
