import { describe, expect, it } from 'vitest';
import { navItems, visibleNavItems } from './nav-items';

describe('navigation', () => {
  it('shows the pages whose APIs exist and keeps the others in place, hidden', () => {
    expect(visibleNavItems().map((i) => i.label)).toEqual([
      'Alerts',
      'Devices',
      'Advanced hunting',
      'Action center',
      'Rules',
      'Indicators',
    ]);
    expect(navItems.map((i) => i.id)).toEqual(['alerts', 'devices', 'hunting', 'actions', 'rules', 'indicators']);
  });
});
