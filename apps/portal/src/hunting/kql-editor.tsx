import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api';
import { type RefObject, useEffect, useRef, useState } from 'react';

/** What the hunting page can do to the editor. */
export interface EditorHandle {
  insert(text: string): void;
  focus(): void;
}

type Props = {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onRun: () => void;
  readonly handle: RefObject<EditorHandle | null>;
};

/**
 * The KQL editor: Monaco with Microsoft's Kusto language service (highlighting, completion of our tables and columns,
 * diagnostics). While Monaco loads, and if it cannot load, a plain text area stands in; Ctrl+Enter runs in both.
 */
export function KqlEditor(props: Props) {
  const [state, setState] = useState<'loading' | 'monaco' | 'plain'>('loading');
  const box = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    let disposed = false;
    import('./monaco-setup')
      .then(({ monaco, setKustoSchema, huntingModel, kustoTheme }) => {
        if (disposed || !box.current) return;
        const ed = monaco.editor.create(box.current, {
          model: huntingModel(latest.current.value),
          theme: kustoTheme,
          minimap: { enabled: false },
          automaticLayout: true,
          fontSize: 13,
          scrollBeyondLastLine: false,
          suggest: { showWords: false },
        });
        editor.current = ed;
        ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun());
        ed.onDidChangeModelContent(() => latest.current.onChange(ed.getValue()));
        const model = ed.getModel();
        if (model) setKustoSchema(model).catch((e: unknown) => console.warn('kusto schema', e));
        latest.current.handle.current = {
          insert: (text) => {
            const sel = ed.getSelection();
            if (sel) ed.executeEdits('schema', [{ range: sel, text, forceMoveMarkers: true }]);
            ed.focus();
          },
          focus: () => ed.focus(),
        };
        setState('monaco');
      })
      .catch((e: unknown) => {
        console.warn('Monaco could not load; using a plain editor', e);
        if (!disposed) setState('plain');
      });
    return () => {
      disposed = true;
      editor.current?.dispose();
      editor.current = null;
    };
  }, []);

  // Text set from outside (history, saved queries, deep links) replaces the editor's.
  useEffect(() => {
    const ed = editor.current;
    if (ed && ed.getValue() !== props.value) ed.setValue(props.value);
  }, [props.value]);

  return (
    <div className="editor" data-editor={state}>
      <div ref={box} className="monaco-box" hidden={state !== 'monaco'} data-testid="monaco" />
      {state !== 'monaco' ? <PlainEditor {...props} loading={state === 'loading'} /> : null}
    </div>
  );
}

function PlainEditor({ value, onChange, onRun, handle, loading }: Props & { readonly loading: boolean }) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    handle.current = {
      insert: (text) => {
        const el = area.current;
        if (!el) return;
        const next = el.value.slice(0, el.selectionStart) + text + el.value.slice(el.selectionEnd);
        onChange(next);
        el.focus();
      },
      focus: () => area.current?.focus(),
    };
  }, [handle, onChange]);
  return (
    <textarea
      ref={area}
      className="plain-editor"
      aria-label="KQL query"
      spellCheck={false}
      value={value}
      placeholder={loading ? 'Loading the editor…' : 'KQL query'}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onRun();
        }
      }}
    />
  );
}
