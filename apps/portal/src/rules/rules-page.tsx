import type { RulesTab } from '../router/routes';
import { hrefOf } from '../router/routes';
import { CustomDetections } from './custom-detections';
import './rules.css';
import { SigmaRules } from './sigma-rules';

/** The rules the tenant runs: Sigma rules at ingest with their load diagnostics, and custom KQL detections. */
export function RulesPage({ tab }: { readonly tab: RulesTab }) {
  return (
    <section aria-labelledby="rules-title">
      <div className="page-head">
        <h1 id="rules-title">Rules</h1>
      </div>
      <nav className="page-tabs" aria-label="Rule kinds">
        <a href={hrefOf({ kind: 'rules', tab: 'sigma' })} aria-current={tab === 'sigma' ? 'page' : undefined}>
          Sigma rules
        </a>
        <a href={hrefOf({ kind: 'rules', tab: 'custom' })} aria-current={tab === 'custom' ? 'page' : undefined}>
          Custom detections
        </a>
      </nav>
      {tab === 'sigma' ? <SigmaRules /> : <CustomDetections />}
    </section>
  );
}
