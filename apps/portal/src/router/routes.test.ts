import { describe, expect, it } from 'vitest';
import { hrefOf, noAlertFilters, parseRoute, type Route } from './routes';

describe('parseRoute', () => {
  const cases: [string, Route][] = [
    ['', { kind: 'devices', page: 1 }],
    ['#/', { kind: 'devices', page: 1 }],
    ['#/devices', { kind: 'devices', page: 1 }],
    ['#/devices?page=3', { kind: 'devices', page: 3 }],
    ['#/devices?page=-2', { kind: 'devices', page: 1 }],
    ['#/devices/abc%2Fdef', { kind: 'device', id: 'abc/def' }],
    ['#/hunting', { kind: 'hunting' }],
    ['#/hunting?query=DeviceInfo%20%7C%20take%201', { kind: 'hunting', query: 'DeviceInfo | take 1' }],
    ['#/alerts', { kind: 'alerts', filters: noAlertFilters, page: 1 }],
    [
      '#/alerts?severity=High&status=New&technique=T1059&machineId=id%202&page=2',
      { kind: 'alerts', filters: { severity: 'High', status: 'New', technique: 'T1059', machineId: 'id 2' }, page: 2 },
    ],
    ['#/alerts/da1%2F2', { kind: 'alert', id: 'da1/2' }],
    ['#/indicators', { kind: 'indicators' }],
    ['#/rules', { kind: 'rules', tab: 'sigma' }],
    ['#/rules?tab=custom', { kind: 'rules', tab: 'custom' }],
    ['#/rules?tab=bogus', { kind: 'rules', tab: 'sigma' }],
    ['#/actions', { kind: 'actions', tab: 'pending', page: 1 }],
    ['#/actions?tab=history&page=2', { kind: 'actions', tab: 'history', page: 2 }],
    ['#/actions/ma%2F1', { kind: 'action', id: 'ma/1' }],
    ['#/nowhere', { kind: 'not-found', path: '/nowhere' }],
  ];
  it.each(cases)('%s', (hash, route) => expect(parseRoute(hash)).toEqual(route));
});

describe('hrefOf', () => {
  const routes: Route[] = [
    { kind: 'devices', page: 1 },
    { kind: 'devices', page: 4 },
    { kind: 'device', id: 'a b/c' },
    { kind: 'hunting' },
    { kind: 'alerts', filters: noAlertFilters, page: 1 },
    { kind: 'alerts', filters: { ...noAlertFilters, status: 'InProgress', machineId: 'a&b' }, page: 3 },
    { kind: 'alert', id: 'da-1' },
    { kind: 'indicators' },
    { kind: 'rules', tab: 'sigma' },
    { kind: 'actions', tab: 'pending', page: 1 },
    { kind: 'actions', tab: 'history', page: 3 },
    { kind: 'action', id: 'a b' },
    { kind: 'rules', tab: 'custom' },
    { kind: 'hunting', query: 'DeviceProcessEvents\n| where FileName == "a&b"' },
  ];
  it.each(routes)('round-trips %j', (route) => expect(parseRoute(hrefOf(route))).toEqual(route));
});
