import { type AbiSpec, checkAbi } from '@plugin-interfaces/spec';
import { renderCHeader } from './c/header.js';
import { CodegenError } from './errors.js';
import { renderJsonSchemas } from './json-schema.js';
import { renderLayoutTable, spliceTable } from './readme-table.js';
import { renderRustBindings } from './rust/bindings.js';
import { renderKoffiDeclarations } from './ts/koffi.js';

/** One file the generator owns, path relative to the repository root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export const SDK_C_README = 'packages/sdk-c/README.md';

/**
 * Everything `pnpm generate` writes. The spec is checked first; a problem stops generation with a
 * message naming the item. `readReadme` supplies the current sdk-c README to splice the table into.
 */
export function generateAll(spec: AbiSpec, readReadme: () => string): GeneratedFile[] {
  const problems = checkAbi(spec);
  if (problems.length > 0) {
    throw new CodegenError(
      'SPEC_INVALID',
      `The spec has ${problems.length} problem(s); nothing was generated:\n${problems.map((p) => `  - ${p.item}: ${p.message}`).join('\n')}`,
    );
  }
  return [
    { path: 'packages/sdk-c/include/plugin_interfaces.h', content: renderCHeader(spec) },
    { path: 'packages/sdk-rust/src/ffi.rs', content: renderRustBindings(spec) },
    { path: 'packages/host-node/src/generated/abi.ts', content: renderKoffiDeclarations(spec) },
    ...renderJsonSchemas().map((s) => ({ path: `packages/spec/schemas/${s.name}`, content: s.content })),
    { path: SDK_C_README, content: spliceTable(readReadme(), renderLayoutTable(spec), SDK_C_README) },
  ];
}
