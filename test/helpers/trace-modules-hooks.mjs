// Resolve hook of trace-modules.mjs (runs on the loader's thread): appends each resolved URL.
import fs from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.DOSEDESK_TRACE_MODULES) fs.appendFileSync(process.env.DOSEDESK_TRACE_MODULES, `import ${r.url}\n`);
  return r;
}
