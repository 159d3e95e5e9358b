import { useCallback, useState } from 'react';
import type { MachineAction } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf, noAlertFilters } from '../router/routes';
import { DeviceActions } from './device-actions';
import { HealthBadge, IsolationBadge } from './device-status';
import { DeviceTimeline } from './device-timeline';
import { QuarantinedFiles } from './quarantined-files';
import { ResponseActions } from './response-actions';
import { kqlString } from './timeline-query';

/** What a just-queued action means for the device's isolation, until the page loads the device again. */
function isolationAfter(a: MachineAction): string | undefined {
  if (a.type === 'Isolate') return 'IsolationPending';
  if (a.type === 'Unisolate') return 'ReleasePending';
  return undefined;
}

/** One device: its details, response actions and their history, and its event timeline. */
export function DevicePage({ id }: { readonly id: string }) {
  const { api } = useAuth();
  const state = useAsync((signal) => api.machine(id, signal), [api, id]);
  const [isolation, setIsolation] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  const [settled, setSettled] = useState(0);
  const onAction = (a: MachineAction) => {
    setIsolation((prior) => isolationAfter(a) ?? prior);
    setGeneration((g) => g + 1);
  };
  const { refresh } = state;
  // An action finished: the server now knows the device's isolation and quarantine.
  const onSettled = useCallback(() => {
    setIsolation(undefined);
    setSettled((n) => n + 1);
    refresh();
  }, [refresh]);
  const machine =
    state.status === 'done' ? { ...state.value, ...(isolation ? { isolationState: isolation } : {}) } : null;
  return (
    <section aria-labelledby="device-title">
      <p className="crumbs">
        <a href={hrefOf({ kind: 'devices', page: 1 })}>Devices</a> ›
      </p>
      {state.status === 'loading' ? <Loading what="the device" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {machine ? (
        <>
          <div className="page-head">
            <h1 id="device-title">{machine.computerDnsName}</h1>
            <span className={`badge ${machine.onboardingStatus === 'Onboarded' ? 'ok' : 'off'}`}>
              {machine.onboardingStatus}
            </span>
            <HealthBadge status={machine.healthStatus} />
            <IsolationBadge machine={machine} />
            <a
              className="button"
              href={hrefOf({
                kind: 'hunting',
                query: `DeviceProcessEvents\n| where DeviceId == ${kqlString(id)}\n| take 100`,
              })}
            >
              Hunt on this device
            </a>
            <a
              className="button"
              href={hrefOf({ kind: 'alerts', filters: { ...noAlertFilters, machineId: id }, page: 1 })}
            >
              Alerts on this device
            </a>
          </div>
          <dl className="details">
            <dt>Device id</dt>
            <dd>
              <code>{machine.id}</code>
            </dd>
            <dt>OS platform</dt>
            <dd>{machine.osPlatform ?? '—'}</dd>
            <dt>First seen</dt>
            <dd>{formatTime(machine.firstSeen)}</dd>
            <dt>Last seen</dt>
            <dd>{formatTime(machine.lastSeen)}</dd>
            {machine.offboardedAt ? (
              <>
                <dt>Offboarded</dt>
                <dd>{formatTime(machine.offboardedAt)}</dd>
              </>
            ) : null}
          </dl>
          <ResponseActions machine={machine} onDone={onAction} />
          <QuarantinedFiles deviceId={id} generation={generation + settled} onAction={onAction} />
          <DeviceActions deviceId={id} generation={generation} onSettled={onSettled} />
          <DeviceTimeline deviceId={id} onAction={onAction} />
        </>
      ) : null}
    </section>
  );
}
