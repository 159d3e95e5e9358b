import { alertSeverities as severities } from '@vigil/protocol';
import { useState } from 'react';
import type { DetectionRule } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorView } from '../common/status-views';

/** Defender's custom detection frequencies: continuous (0), every 1, 3, 12 or 24 hours. */
export const ruleSchedules = [
  ['0', 'Continuous (near real time)'],
  ['1H', 'Every hour'],
  ['3H', 'Every 3 hours'],
  ['12H', 'Every 12 hours'],
  ['24H', 'Every 24 hours'],
] as const;

/** `T1059, T1003.001` → `['T1059', 'T1003.001']`. */
export function parseTechniques(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
}

/** The small form that saves the current hunting query as a custom detection rule. */
export function DetectionRuleForm({
  query,
  onClose,
  onSaved,
}: {
  readonly query: string;
  readonly onClose: () => void;
  readonly onSaved?: (rule: DetectionRule) => void;
}) {
  const { api } = useAuth();
  const [name, setName] = useState('');
  const [schedule, setSchedule] = useState('1H');
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('Medium');
  const [category, setCategory] = useState('SuspiciousActivity');
  const [techniques, setTechniques] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<DetectionRule | null>(null);

  return (
    <form
      className="panel-form rule-form"
      aria-label="Create detection rule"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const rule = await api.createDetectionRule({
            name: name.trim(),
            query,
            schedule,
            alertTemplate: {
              title: title.trim() || name.trim(),
              severity,
              category: category.trim(),
              mitreTechniques: parseTechniques(techniques),
            },
          });
          setSaved(rule);
          onSaved?.(rule);
        } catch (err) {
          setError(err as Error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>Create detection rule</h2>
      <p className="muted small">
        The current query runs on the schedule; it must return Timestamp, ReportId and an entity column such as
        DeviceId.
      </p>
      <label>
        Rule name
        <input value={name} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Frequency
        <select value={schedule} onChange={(e) => setSchedule(e.target.value)}>
          {ruleSchedules.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Alert title
        <input value={title} placeholder="the rule name" onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {severities.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Category
        <input value={category} required onChange={(e) => setCategory(e.target.value)} />
      </label>
      <label>
        MITRE techniques
        <input value={techniques} placeholder="T1059, T1003.001" onChange={(e) => setTechniques(e.target.value)} />
      </label>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          Save rule
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {saved ? (
        <div className="status info" role="status">
          Saved rule “{saved.name}” ({saved.id}).
        </div>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </form>
  );
}
