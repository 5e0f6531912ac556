import { type AbiSpec, abiFingerprint, type StructDef, type TypeRef } from '@plugin-interfaces/spec';
import { IndentationText, Project, QuoteKind, VariableDeclarationKind } from 'ts-morph';
import { banner, enumStem } from '../banner.js';
import { cScalars } from '../c/types.js';

/**
 * koffi type expression for a spec type. Pointers other than strings are raw addresses (`void *`):
 * the host decodes them with the struct types declared here, so no layout is written twice.
 */
function koffiType(type: TypeRef, inStruct: boolean): string {
  switch (type.kind) {
    case 'scalar':
      return `'${cScalars[type.name]}'`;
    case 'bool':
      return `'uint8_t'`;
    case 'enum':
      return `'${type.name}'`;
    case 'string':
      return type.mutable ? `'char *'` : `'const char *'`;
    case 'handle':
    case 'pointer':
      return `'void *'`;
    case 'chars':
      return `koffi.array('char', ${type.length}, 'String')`;
    case 'struct':
      return type.name;
    case 'fn':
      return inStruct ? `koffi.pointer(${type.name})` : `'void *'`;
  }
}

/** TypeScript type of a decoded field value. */
function tsType(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return type.name === 'u64' || type.name === 'i64' ? 'number | bigint' : 'number';
    case 'bool':
    case 'enum':
      return 'number';
    case 'string':
      return 'string | null';
    case 'chars':
      return 'string';
    case 'struct':
      return `${type.name}Value`;
    default:
      return 'unknown';
  }
}

function structObject(s: StructDef): string {
  return `{ ${s.fields.map((f) => `${f.name}: ${koffiType(f.type, true)}`).join(', ')} }`;
}

/** Render `packages/host-node/src/generated/abi.ts`: koffi declarations, enum values and decoded struct types. */
export function renderKoffiDeclarations(spec: AbiSpec): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('abi.ts', '', { overwrite: true });
  file.addStatements([banner('//'), "import koffi from 'koffi';"]);
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['ABI version and fingerprint of the spec this file was generated from.'],
    declarations: [
      {
        name: 'ABI',
        initializer: `{ major: ${spec.major}, minor: ${spec.minor}, entrySymbol: '${spec.entrySymbol}', fingerprint: '${abiFingerprint(spec)}' } as const`,
      },
    ],
  });
  for (const e of spec.enums) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`${e.doc} (\`PI_${enumStem(e.name, spec.prefix)}_*\`)`],
      declarations: [
        {
          name: e.name,
          initializer: `{ ${e.members.map((m) => `${m.name}: ${m.value}`).join(', ')} } as const`,
        },
      ],
    });
  }
  for (const s of spec.structs) {
    file.addInterface({
      isExported: true,
      name: `${s.name}Value`,
      docs: [`${s.doc} (decoded by koffi)`],
      properties: s.fields.map((f) => ({ name: f.name, type: tsType(f.type), docs: [f.doc] })),
    });
  }
  const body: string[] = [];
  for (const e of spec.enums)
    body.push(`const ${e.name} = koffi.alias('${e.name}', '${e.flags ? 'uint32_t' : 'int32_t'}');`);
  for (const f of spec.functions) {
    const ret = f.returns ? koffiType(f.returns, false) : `'void'`;
    body.push(
      `const ${f.name} = koffi.proto('${f.name}', ${ret}, [${f.params.map((p) => koffiType(p.type, false)).join(', ')}]);`,
    );
  }
  for (const s of spec.structs) body.push(`const ${s.name} = koffi.struct('${s.name}', ${structObject(s)});`);
  const names = [
    ...spec.enums.map((e) => e.name),
    ...spec.functions.map((f) => f.name),
    ...spec.structs.map((s) => s.name),
  ];
  body.push(`return { ${names.join(', ')} };`);
  file.addFunction({
    isExported: true,
    name: 'declareAbiTypes',
    docs: [
      'Declare every ABI type with koffi. koffi type names are global to the process, so call this once',
      '(the host caches the result in `abiTypes()`).',
    ],
    statements: body,
  });
  file.addTypeAlias({ isExported: true, name: 'AbiTypes', type: 'ReturnType<typeof declareAbiTypes>' });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Let,
    declarations: [{ name: 'cached', type: 'AbiTypes | undefined' }],
  });
  file.addFunction({
    isExported: true,
    name: 'abiTypes',
    docs: ['The koffi ABI types, declared on first use.'],
    returnType: 'AbiTypes',
    statements: ['cached ??= declareAbiTypes();', 'return cached;'],
  });
  file.formatText({ indentSize: 2 });
  return file.getFullText();
}
