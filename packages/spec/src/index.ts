export { assertAbi, checkAbi, SpecCheckError, type SpecProblem } from './abi/check.js';
export { enumValues } from './abi/enum-values.js';
export { ABI_MAJOR, ABI_MINOR, ENTRY_SYMBOL } from './abi/enums.js';
export { abiFingerprint, canonicalAbi, fnv1a64, typeKey } from './abi/fingerprint.js';
export { abi } from './abi/index.js';
export {
  computeLayouts,
  diffLayouts,
  type FieldLayout,
  type LayoutDifference,
  type LayoutRow,
  layoutRows,
  type StructLayout,
  type TargetModel,
  target64,
} from './abi/layout.js';
export type {
  AbiSpec,
  ConstDef,
  EnumDef,
  EnumMember,
  FieldDef,
  FnDef,
  Ownership,
  ParamDef,
  ScalarName,
  StructDef,
  TypeRef,
} from './abi/model.js';
export { t, tableHead } from './abi/model.js';
export { WIDGET_ID_RULES } from './abi/widget-ids.js';
export { ERROR_CODES, type ErrorCode, errorCodes, isErrorCode } from './errors.js';
export { LIMIT_DEFS, LIMITS, type LimitDef, type LimitName } from './limits.js';
export {
  type RtConstDef,
  type RtConstGroup,
  type RtFieldDef,
  type RtFnDef,
  type RtLimitDef,
  type RtParamDef,
  type RtScalar,
  type RtStructDef,
  type RtType,
  type RuntimeAbi,
  rtScalarSize,
  rtStructLayout,
  runtimeAbi,
} from './runtime/index.js';
export * from './schemas/bridge.js';
export * from './schemas/common.js';
export * from './schemas/config.js';
export * from './schemas/conformance.js';
export * from './schemas/conformance-match.js';
export * from './schemas/events.js';
export * from './schemas/history.js';
export * from './schemas/isolated-ipc.js';
export * from './schemas/ui-tree.js';
export { defaultSettings, type SettingProblem, type SettingsResult, validateSettings } from './settings.js';
export { createValidator, tryParseJson, type Validator } from './validate.js';
export { validators } from './validators.js';
