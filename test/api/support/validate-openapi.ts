/**
 * Validates a document with @seriousme/openapi-schema-validator (the OpenAPI 3.0/3.1 JSON
 * schemas). The library is ESM-only, which jest's CommonJS runtime cannot load on Node 20,
 * so it runs in a plain Node child process.
 */
import { execFile } from 'node:child_process';

const script = `
import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const result = await new Validator().validate(JSON.parse(input));
process.stdout.write(JSON.stringify({ valid: result.valid, version: new Validator().version, errors: result.errors ?? null }));
`;

export interface OpenApiValidation {
  valid: boolean;
  version: string;
  errors: unknown;
}

export function validateOpenApi(document: unknown): Promise<OpenApiValidation> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`validator failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout) as OpenApiValidation);
    });
    child.stdin!.end(JSON.stringify(document));
  });
}
