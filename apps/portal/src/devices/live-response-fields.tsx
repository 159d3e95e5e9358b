import type { CommandDraft } from '../actions/action-model';
import { type LiveResponseCommandType, liveResponseCommands } from '../api/action-types';

const commandTypes = Object.keys(liveResponseCommands) as LiveResponseCommandType[];

/** The rows of a live-response request: an allowlisted command each, with its path or name when it needs one. */
export function LiveResponseFields({
  drafts,
  onChange,
}: {
  readonly drafts: readonly CommandDraft[];
  readonly onChange: (drafts: CommandDraft[]) => void;
}) {
  const set = (i: number, d: CommandDraft) => onChange(drafts.map((x, j) => (j === i ? d : x)));
  return (
    <fieldset aria-label="Live response commands">
      <legend>Commands (allowlisted; run in order)</legend>
      {drafts.map((d, i) => {
        const key = liveResponseCommands[d.type];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no other identity.
          <div className="lr-row" key={i}>
            <select
              aria-label={`Command ${i + 1}`}
              value={d.type}
              onChange={(e) => set(i, { type: e.target.value as LiveResponseCommandType, value: d.value })}
            >
              {commandTypes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            {key ? (
              <input
                aria-label={`Command ${i + 1} ${key}`}
                placeholder={key === 'Path' ? '/absolute/path' : 'file name'}
                value={d.value}
                onChange={(e) => set(i, { type: d.type, value: e.target.value })}
              />
            ) : (
              <span className="muted small">no parameter</span>
            )}
            <button
              type="button"
              aria-label={`Remove command ${i + 1}`}
              onClick={() => onChange(drafts.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...drafts, { type: 'Processes', value: '' }])}>
        Add command
      </button>
    </fieldset>
  );
}
