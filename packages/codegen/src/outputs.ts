import { type AbiSpec, checkAbi, WIDGET_ID_RULES } from '@plugin-interfaces/spec';
import { renderCHeader } from './c/header.js';
import { CodegenError } from './errors.js';
import { renderJsonSchemas } from './json-schema.js';
import { IDS_END, IDS_START, renderLayoutTable, renderWidgetIdRules, spliceTable } from './readme-table.js';
import { renderRuntimeOutputs } from './runtime/index.js';
import { renderRustBindings } from './rust/bindings.js';
import { renderKoffiDeclarations } from './ts/koffi.js';

/** One file the generator owns, path relative to the repository root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export const SDK_C_README = 'packages/sdk-c/README.md';
export const SDK_RUST_README = 'packages/sdk-rust/README.md';

/**
 * Everything `pnpm generate` writes. The spec is checked first; a problem stops generation with a
 * message naming the item. `readReadme(path)` supplies a current README (sdk-c, sdk-rust) to splice generated sections into.
 */
export function generateAll(spec: AbiSpec, readReadme: (path: string) => string): GeneratedFile[] {
  const problems = checkAbi(spec);
  if (problems.length > 0) {
    throw new CodegenError(
      'SPEC_INVALID',
      `The spec has ${problems.length} problem(s); nothing was generated:\n${problems.map((p) => `  - ${p.item}: ${p.message}`).join('\n')}`,
    );
  }
  const ids = renderWidgetIdRules(WIDGET_ID_RULES);
  return [
    { path: 'packages/sdk-c/include/plugin_interfaces.h', content: renderCHeader(spec) },
    { path: 'packages/sdk-rust/src/ffi.rs', content: renderRustBindings(spec) },
    { path: 'packages/host-node/src/generated/abi.ts', content: renderKoffiDeclarations(spec) },
    ...renderRuntimeOutputs(),
    ...renderJsonSchemas().map((s) => ({ path: `packages/spec/schemas/${s.name}`, content: s.content })),
    {
      path: SDK_C_README,
      content: spliceTable(
        spliceTable(readReadme(SDK_C_README), renderLayoutTable(spec), SDK_C_README),
        ids,
        SDK_C_README,
        [IDS_START, IDS_END],
      ),
    },
    {
      path: SDK_RUST_README,
      content: spliceTable(readReadme(SDK_RUST_README), ids, SDK_RUST_README, [IDS_START, IDS_END]),
    },
  ];
}
