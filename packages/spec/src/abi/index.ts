import { ABI_MAJOR, ABI_MINOR, constants, ENTRY_SYMBOL, enums } from './enums.js';
import { hostFunctions, pluginFunctions, uiFunctions } from './functions.js';
import type { AbiSpec } from './model.js';
import { structs } from './structs.js';

/** ABI v1, complete. Generators and the host read only this object. */
export const abi: AbiSpec = {
  prefix: 'Pi',
  major: ABI_MAJOR,
  minor: ABI_MINOR,
  entrySymbol: ENTRY_SYMBOL,
  constants,
  enums,
  functions: [...hostFunctions, ...uiFunctions, ...pluginFunctions],
  structs,
};
