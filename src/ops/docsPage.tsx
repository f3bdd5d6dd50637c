import type { openApiDocument } from "./openapi.ts";

type Doc = ReturnType<typeof openApiDocument>;
type Operation = {
  summary: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { "application/json": { schema: unknown } } };
  responses: Record<string, { description: string }>;
};

const STYLE = `body{font-family:system-ui,"Noto Sans KR","NanumGothic",sans-serif;max-width:960px;margin:0 auto;padding:24px;color:#222}
h1{font-size:24px}.op{border:1px solid #ddd;border-radius:8px;margin:12px 0;padding:12px 16px}
.m{display:inline-block;min-width:56px;font-weight:700;text-transform:uppercase}.get{color:#1565c0}.post{color:#2e7d32}.patch{color:#ef6c00}.delete{color:#c62828}
code{font-size:14px}pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}ul{margin:4px 0}`;

/** /docs: a readable reference of /openapi.json, rendered on the server (no CDN). */
export function DocsPage({ doc }: { doc: Doc }) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <title>{doc.info.title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <h1>{doc.info.title}</h1>
        <p>{doc.info.description}</p>
        <p>
          Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI {doc.openapi}). Auth:
          the
          <code> so_session</code> cookie from login.
        </p>
        {Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
          Object.entries(ops as Record<string, Operation>).map(([method, op]) => (
            <div class="op">
              <div>
                <span class={`m ${method}`}>{method}</span> <code>{path}</code> — {op.summary}
              </div>
              {op.requestBody ? (
                <pre>
                  {JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}
                </pre>
              ) : null}
              <ul>
                {Object.entries(op.responses).map(([status, r]) => (
                  <li>
                    <code>{status}</code> {r.description}
                  </li>
                ))}
              </ul>
            </div>
          )),
        )}
      </body>
    </html>
  );
}
