export { buildNativeRuntime, type NativeBuildOptions, userCacheDir } from '../../native/build.js';
export { locateNativeRuntime, prebuiltRuntime } from '../../native/locate.js';
export { loadNativeRuntime, type NativeRuntime } from '../../native/runtime.js';
export { detectArch, type LibraryArch } from './arch.js';
export { InProcessDriver, type InProcessDriverOptions } from './driver.js';
export { InProcessInstance } from './instance.js';
export { InProcessLibrary } from './library.js';
export { type LoadedLibrary, loadPluginLibrary } from './loader.js';
export { type RecordedFrame, UiRecorder } from './ui-recorder.js';
