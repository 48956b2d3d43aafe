// Generates src/api/schema.d.ts from openapi.json with openapi-typescript.
//
// The backend's OpenAPI document reuses operationIds across tags (`list`, `get`, `create`,
// … appear once per area). openapi-typescript keys its `operations` interface by
// operationId, so duplicates would silently give e.g. GET /api/v1/orgs the type of
// GET /api/v1/audit. Duplicated ids are therefore made unique here (`<tag>_<id>`) before
// generating; ids that are already unique are kept as they are.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const input = path.join(root, 'openapi.json');
const output = path.join(root, 'src/api/schema.d.ts');

const doc = JSON.parse(fs.readFileSync(input, 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ops = [];
for (const [p, item] of Object.entries(doc.paths ?? {})) {
  for (const m of METHODS) {
    if (item[m]) ops.push({ path: p, method: m, op: item[m] });
  }
}
const count = new Map();
for (const { op } of ops) {
  if (op.operationId) count.set(op.operationId, (count.get(op.operationId) ?? 0) + 1);
}
const renamed = [];
for (const { path: p, method, op } of ops) {
  if (op.operationId && count.get(op.operationId) > 1) {
    const tag = (op.tags && op.tags[0]) || p.split('/').filter(Boolean).slice(2, 3)[0] || 'api';
    const id = `${tag}_${op.operationId}`;
    renamed.push(`${method.toUpperCase()} ${p}: ${op.operationId} -> ${id}`);
    op.operationId = id;
  }
}
// Renaming by tag alone can still collide (two `get`s in one tag): fall back to method+path.
const seen = new Set();
for (const { path: p, method, op } of ops) {
  if (!op.operationId) continue;
  if (seen.has(op.operationId)) {
    op.operationId = `${method}_${p.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
  }
  seen.add(op.operationId);
}

const ast = await openapiTS(doc);
fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, COMMENT_HEADER + astToString(ast));
console.log(`gen:api: ${path.relative(root, output)} written (${renamed.length} duplicated operationIds renamed)`);
