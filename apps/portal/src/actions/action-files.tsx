import { useState } from 'react';
import type { MachineAction } from '../api/action-types';
import type { ApiClient } from '../api/api-client';
import { useAuth } from '../auth/auth-context';
import { ErrorView } from '../common/status-views';

/** Saves a blob under a name through a temporary link (the API needs the session token, a plain link has none). */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function downloadPackage(api: ApiClient, a: MachineAction): Promise<void> {
  const uri = await api.packageUri(a.id);
  saveBlob(await api.download(uri), `${a.computerDnsName}-${a.id}.tar.gz`);
}

/** What an action brought back: the investigation package, and each live-response command's outcome and file. */
export function ActionFiles({ action: a }: { readonly action: MachineAction }) {
  const { api } = useAuth();
  const [error, setError] = useState<Error | null>(null);
  const run = (work: () => Promise<void>) => {
    setError(null);
    work().catch((e: unknown) => setError(e as Error));
  };
  const hasPackage = a.type === 'CollectInvestigationPackage' && a.status === 'Succeeded';
  if (!hasPackage && !a.commands?.length) return null;
  return (
    <section aria-labelledby="action-output-title">
      <h2 id="action-output-title">Output</h2>
      {hasPackage ? (
        <button type="button" className="primary" onClick={() => run(() => downloadPackage(api, a))}>
          Download investigation package
        </button>
      ) : null}
      {a.commands?.length ? (
        <ol className="history-list" aria-label="Live response commands">
          {a.commands.map((c) => (
            <li key={c.index}>
              <strong>{c.command.type}</strong> {c.command.params.map((p) => `${p.key}=${p.value}`).join(' ')} ·{' '}
              {c.commandStatus}
              {c.errors.length ? <div className="diag-error small">{c.errors.join('; ')}</div> : null}
              {c.file ? (
                <button
                  type="button"
                  onClick={() =>
                    run(async () =>
                      saveBlob(
                        await api.download(`/api/machineactions/${encodeURIComponent(a.id)}/liveresponse/${c.index}`),
                        (c.command.params.find((p) => p.key === 'Path')?.value ?? 'file').split('/').pop() || 'file',
                      ),
                    )
                  }
                >
                  Download file ({c.file.size} bytes)
                </button>
              ) : null}
              {c.output !== undefined && c.output !== null ? (
                <pre className="output">
                  {typeof c.output === 'string' ? c.output : JSON.stringify(c.output, null, 2)}
                </pre>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
