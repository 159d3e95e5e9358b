// Loaded on demand by the KQL editor: Monaco's core (no bundled languages), the Kusto language service, workers.
import 'monaco-editor/esm/vs/editor/edcore.main';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import '@kusto/monaco-kusto/release/esm/monaco.contribution';
import { getKustoWorker, themeNames } from '@kusto/monaco-kusto/release/esm/monaco.contribution';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { kustoEngineSchema } from './kusto-schema';
import './kusto-colors.css';
import KustoWorker from './kusto-worker?worker';

window.MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'kusto' ? new KustoWorker() : new EditorWorker()),
};

/** The loaded Monaco API. */
export type Monaco = typeof monaco;

let queryModel: monaco.editor.ITextModel | undefined;

/**
 * The one text model of the hunting editor. It outlives the editor on purpose: the Kusto language service finishes
 * its work (colouring, diagnostics) asynchronously, and a disposed model makes that work throw.
 */
export function huntingModel(value: string): monaco.editor.ITextModel {
  queryModel ??= monaco.editor.createModel(value, 'kusto');
  if (queryModel.getValue() !== value) queryModel.setValue(value);
  return queryModel;
}

/** Gives the Kusto language service our hunting tables, so that completion and checks know them. */
export async function setKustoSchema(model: monaco.editor.ITextModel): Promise<void> {
  const accessor = await getKustoWorker();
  const worker = await accessor(model.uri);
  // monaco-kusto's Schema type is structural; ours matches its EngineSchema.
  await worker.setSchema(kustoEngineSchema() as unknown as Parameters<typeof worker.setSchema>[0]);
}

/** monaco-kusto's light theme, which colours its semantic token kinds (tables, columns, functions…). */
export const kustoTheme = themeNames.light;

export { monaco };
