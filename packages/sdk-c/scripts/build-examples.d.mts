/** One built example: a ready plugin folder holding the library and config.toml. */
export interface BuiltExample {
  /** Plugin id, also the example's folder name. */
  id: string;
  /** Absolute path of the plugin folder `<outDir>/<id>`. */
  dir: string;
  /** Absolute path of the compiled shared library inside `dir`. */
  library: string;
}

export interface BuildExamplesOptions {
  /** Where the plugin folders go; default `packages/sdk-c/build/plugins`. */
  outDir?: string;
  /** Example ids to build; default every folder under `examples/` with a config.toml. */
  examples?: readonly string[];
  /** C compiler command; default `$CC`, then `cc`. For Windows DLLs: `x86_64-w64-mingw32-gcc`. */
  cc?: string;
  /** Platform the libraries are for (file names and flags); default this process's. `win32` builds MinGW DLLs. */
  platform?: NodeJS.Platform;
  /** Receives one line per example, e.g. `building echo… ok (0.3 s)`. */
  onProgress?: (line: string) => void;
}

/** The default output folder: packages/sdk-c/build/plugins. */
export declare const DEFAULT_OUT_DIR: string;

/** File name of a shared library on a platform: libecho.so, libecho.dylib or echo.dll. */
export declare function libraryFileName(id: string, platform?: NodeJS.Platform): string;

/** Compiler flags for a shared library on a platform (`win32`: a MinGW DLL with static libgcc/winpthreads). */
export declare function libraryFlags(platform?: NodeJS.Platform): string[];

/** Ids of every example plugin shipped with the SDK. */
export declare function listExamples(): Promise<string[]>;

/**
 * Compiles the example plugins with the system C compiler into ready plugin folders, skipping
 * up-to-date outputs. Rejects with an Error that says how to install a C compiler when none is found.
 */
export declare function buildExamples(options?: BuildExamplesOptions): Promise<BuiltExample[]>;
