import { useState } from 'react';
import { type CommandDraft, isolationOf, liveResponseOf } from '../actions/action-model';
import { ConfirmActionDialog } from '../actions/confirm-action-dialog';
import type { MachineAction } from '../api/action-types';
import type { Machine } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { LiveResponseFields } from './live-response-fields';

type Open = 'isolate' | 'unisolate' | 'collect' | 'live' | null;

/** The device's response actions: isolate or release, collect an investigation package, live response. */
export function ResponseActions({
  machine,
  onDone,
}: {
  readonly machine: Machine;
  readonly onDone: (a: MachineAction) => void;
}) {
  const { api, session } = useAuth();
  const [open, setOpen] = useState<Open>(null);
  const [drafts, setDrafts] = useState<CommandDraft[]>([{ type: 'Processes', value: '' }]);
  const isolation = isolationOf(machine.isolationState);
  const offboarded = machine.onboardingStatus !== 'Onboarded';
  const close = (done: MachineAction | null) => {
    setOpen(null);
    if (done) onDone(done);
  };
  const live = liveResponseOf(drafts);
  return (
    <div className="response-bar" role="toolbar" aria-label="Response actions">
      <span>
        Isolation: <strong>{isolation.label}</strong>
      </span>
      {session.role === 'viewer' ? (
        <span className="muted small">Response actions need the analyst role.</span>
      ) : (
        <>
          <button
            type="button"
            disabled={offboarded || isolation.next === null}
            onClick={() => setOpen(isolation.next === 'unisolate' ? 'unisolate' : 'isolate')}
          >
            {isolation.next === 'unisolate' ? 'Release from isolation' : 'Isolate device'}
          </button>
          <button type="button" disabled={offboarded} onClick={() => setOpen('collect')}>
            Collect investigation package
          </button>
          <button type="button" disabled={offboarded} onClick={() => setOpen('live')}>
            Live response
          </button>
        </>
      )}
      {open === 'isolate' ? (
        <ConfirmActionDialog
          title={`Isolate ${machine.computerDnsName}`}
          confirmLabel="Isolate"
          onConfirm={(Comment) => api.requestAction(machine.id, 'isolate', { Comment, IsolationType: 'Full' })}
          onClose={close}
        >
          <p>
            Full isolation: the device keeps talking to Vigil only; every other connection is cut until it is released.
          </p>
        </ConfirmActionDialog>
      ) : null}
      {open === 'unisolate' ? (
        <ConfirmActionDialog
          title={`Release ${machine.computerDnsName} from isolation`}
          confirmLabel="Release"
          onConfirm={(Comment) => api.requestAction(machine.id, 'unisolate', { Comment })}
          onClose={close}
        />
      ) : null}
      {open === 'collect' ? (
        <ConfirmActionDialog
          title={`Collect an investigation package from ${machine.computerDnsName}`}
          confirmLabel="Collect"
          onConfirm={(Comment) => api.requestAction(machine.id, 'collectInvestigationPackage', { Comment })}
          onClose={close}
        >
          <p>Processes, connections, users, persistence, logs and system facts, uploaded as one archive.</p>
        </ConfirmActionDialog>
      ) : null}
      {open === 'live' ? (
        <ConfirmActionDialog
          title={`Live response on ${machine.computerDnsName}`}
          confirmLabel="Run commands"
          problem={live.ok ? null : live.problem}
          onConfirm={(Comment) =>
            live.ok ? api.requestAction(machine.id, 'runLiveResponse', { Comment, Commands: live.commands }) : never()
          }
          onClose={close}
        >
          <LiveResponseFields drafts={drafts} onChange={setDrafts} />
        </ConfirmActionDialog>
      ) : null}
    </div>
  );
}

// The dialog keeps its confirm button off while the form has a problem, so this is never reached.
function never(): Promise<MachineAction> {
  return Promise.reject(new Error('the live-response form has a problem'));
}
