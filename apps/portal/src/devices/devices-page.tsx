import { useMemo, useState } from 'react';
import type { Machine } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { Pager } from '../common/pager';
import { paginate } from '../common/paginate';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf } from '../router/routes';
import { navigate } from '../router/use-route';
import { HealthBadge, healthLabel, healthStatuses, IsolationBadge } from './device-status';

/** Devices per page of the inventory. */
export const devicePageSize = 25;

/**
 * Devices whose name, id or OS contains `text` (case-insensitive) and, when `health` is given, in that health state;
 * most recently seen first.
 */
export function filterDevices(machines: readonly Machine[], text: string, health = ''): Machine[] {
  const needle = text.trim().toLowerCase();
  return machines
    .filter(
      (m) =>
        (!health || m.healthStatus === health) &&
        (!needle ||
          m.computerDnsName.toLowerCase().includes(needle) ||
          m.id.toLowerCase().includes(needle) ||
          (m.osPlatform ?? '').toLowerCase().includes(needle)),
    )
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

/** The device inventory: every enrolled device with OS, health, isolation, first and last seen, onboarding status. */
export function DevicesPage({ page }: { readonly page: number }) {
  const { api } = useAuth();
  const state = useAsync((signal) => api.machines(signal), [api]);
  const [search, setSearch] = useState('');
  const [health, setHealth] = useState('');
  const filtered = useMemo(
    () => (state.status === 'done' ? filterDevices(state.value, search, health) : []),
    [state, search, health],
  );
  const firstPage = () => {
    if (page !== 1) navigate(hrefOf({ kind: 'devices', page: 1 }));
  };
  const current = paginate(filtered, page, devicePageSize);

  return (
    <section aria-labelledby="devices-title">
      <div className="page-head">
        <h1 id="devices-title">Device inventory</h1>
        <input
          type="search"
          placeholder="Search name, id or OS"
          aria-label="Search devices"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            firstPage();
          }}
        />
        <select
          aria-label="Health"
          value={health}
          onChange={(e) => {
            setHealth(e.target.value);
            firstPage();
          }}
        >
          <option value="">Any health</option>
          {healthStatuses.map((h) => (
            <option key={h} value={h}>
              {healthLabel(h)}
            </option>
          ))}
        </select>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </div>
      {state.status === 'loading' ? <Loading what="devices" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && filtered.length === 0 ? (
        <Empty>
          {state.value.length === 0
            ? 'No device has enrolled yet. Create an enrollment token and enroll an agent.'
            : 'No device matches the search and health filter.'}
        </Empty>
      ) : null}
      {state.status === 'done' && filtered.length > 0 ? (
        <>
          <DeviceTable machines={current.items} />
          <Pager
            page={current.page}
            pageCount={current.pageCount}
            first={current.first}
            last={current.last}
            total={current.total}
            onPage={(p) => navigate(hrefOf({ kind: 'devices', page: p }))}
          />
        </>
      ) : null}
    </section>
  );
}

function DeviceTable({ machines }: { readonly machines: readonly Machine[] }) {
  return (
    <table className="grid" aria-label="Devices">
      <thead>
        <tr>
          <th>Device name</th>
          <th>OS platform</th>
          <th>Health</th>
          <th>Isolation</th>
          <th>First seen</th>
          <th>Last seen</th>
          <th>Onboarding status</th>
        </tr>
      </thead>
      <tbody>
        {machines.map((m) => (
          <tr key={m.id}>
            <td>
              <a href={hrefOf({ kind: 'device', id: m.id })}>{m.computerDnsName}</a>
            </td>
            <td>{m.osPlatform ?? '—'}</td>
            <td>
              <HealthBadge status={m.healthStatus} />
            </td>
            <td>
              <IsolationBadge machine={m} />
            </td>
            <td>{formatTime(m.firstSeen)}</td>
            <td>{formatTime(m.lastSeen)}</td>
            <td>
              <span className={`badge ${m.onboardingStatus === 'Onboarded' ? 'ok' : 'off'}`}>{m.onboardingStatus}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
