import { describe, expect, it } from 'vitest';
import { col } from './col.js';
import { commonColumnDescriptions } from './common-columns.js';

describe('col', () => {
  it('takes the shared description of a common column', () => {
    expect(col('InitiatingProcessId', 'long')).toEqual({
      name: 'InitiatingProcessId',
      type: 'long',
      description: commonColumnDescriptions.InitiatingProcessId,
    });
  });

  it('lets a table override the shared description', () => {
    expect(col('RemoteIP', 'string', 'Address the logon came from').description).toBe('Address the logon came from');
  });

  it('refuses a column without a description', () => {
    expect(() => col('Unshared', 'string', '  ')).toThrow(/Unshared has no description/);
    // The overloads make a missing description a compile-time error too.
    // @ts-expect-error: a column that is not shared needs a description
    expect(() => col('Unshared', 'string')).toThrow(/no description/);
  });

  it('refuses an empty override of a shared description', () => {
    expect(() => col('DeviceId', 'string', '')).toThrow(/DeviceId has no description/);
  });
});
