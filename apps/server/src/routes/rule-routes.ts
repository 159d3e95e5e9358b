import { formatDiagnostic } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth.js';

/** The Sigma rules evaluated at ingest, with their load diagnostics (`GET /api/rules`). */
export function ruleRoutes(app: FastifyInstance, data: DataDir): void {
  app.get<{ Querystring: { $top?: string; $skip?: string; q?: string } }>(
    '/api/rules',
    { preHandler: requireRole(data, 'viewer') },
    async (request) => {
      const ruleset = data.rules.ruleset();
      const q = request.query.q?.toLowerCase();
      const all = ruleset.rules
        .map((r) => ({
          id: r.id,
          title: r.title,
          level: r.level,
          techniques: r.techniques,
          file: r.file,
          // A rule whose logsource no pipeline maps loads but can never fire.
          mapped: r.targets.length > 0,
        }))
        .filter(
          (r) =>
            !q ||
            r.title.toLowerCase().includes(q) ||
            r.id.includes(q) ||
            r.techniques.some((t) => t.toLowerCase() === q),
        );
      const top = Math.min(Number(request.query.$top ?? 100) || 100, 10_000);
      const skip = Number(request.query.$skip ?? 0) || 0;
      return {
        value: all.slice(skip, skip + top),
        total: all.length,
        folders: data.rules.folders(),
        correlations: ruleset.correlations.length,
        diagnostics: ruleset.diagnostics.slice(0, 1000).map((d) => ({
          code: d.code,
          severity: d.severity,
          file: d.location?.file ?? null,
          line: d.location?.line ?? null,
          message: formatDiagnostic(d),
        })),
      };
    },
  );
}
