export { renderCHeader } from './c/header.js';
export { cDecl, cType } from './c/types.js';
export { CodegenError, isCodegenError } from './errors.js';
export { renderJsonSchemas } from './json-schema.js';
export { type GeneratedFile, generateAll } from './outputs.js';
export { renderLayoutTable, spliceTable } from './readme-table.js';
export { renderRustBindings, rustType } from './rust/bindings.js';
export { renderKoffiDeclarations } from './ts/koffi.js';
