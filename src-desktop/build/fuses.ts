/**
 * Electron fuses: switches compiled into the packaged binary that no environment variable or
 * command-line flag can turn back on. The packaging config sets them (electron-builder's
 * `electronFuses: ELECTRON_FUSES`); `afterPack` below does the same with @electron/fuses for a
 * builder without that option. Electron's security checklist, item 19.
 */
export const ELECTRON_FUSES = Object.freeze({
  /** ELECTRON_RUN_AS_NODE would turn the app into a plain Node with the app's privileges. */
  runAsNode: false,
  /** Cookies (the served viewer's session, say) encrypted at rest with the OS keychain. */
  enableCookieEncryption: true,
  /** NODE_OPTIONS could --require arbitrary code into the main process. */
  enableNodeOptionsEnvironmentVariable: false,
  /** --inspect / --inspect-brk would open a debugger into the main process. */
  enableNodeCliInspectArguments: false,
  /** The app.asar is checked against the hash embedded at build time (macOS, Windows). */
  enableEmbeddedAsarIntegrityValidation: true,
  /** Only the (checked) app.asar is loaded, never a loose app folder placed beside it. */
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  /** file: pages get no privileges beyond a web page's. */
  grantFileProtocolExtraPrivileges: false,
} as const);

/** What electron-builder's afterPack hook receives (the part used here). */
export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string } };
}

/** The packaged Electron binary inside `appOutDir`. */
export function electronBinary(context: AfterPackContext): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return `${context.appOutDir}/${name}.app`;
    case 'win32':
      return `${context.appOutDir}/${name}.exe`;
    default:
      return `${context.appOutDir}/${name.toLowerCase()}`;
  }
}

/**
 * electron-builder `afterPack` hook: flips the fuses with @electron/fuses. Fails the build
 * (never ships unfused) when the package is missing.
 */
export async function afterPack(context: AfterPackContext): Promise<void> {
  const specifier = '@electron/fuses';
  let fuses: {
    flipFuses(path: string, config: Record<string | number, unknown>): Promise<unknown>;
    FuseVersion: { V1: unknown };
    FuseV1Options: Record<string, number>;
  };
  try {
    fuses = (await import(specifier)) as typeof fuses;
  } catch (error) {
    throw new Error(`packaging needs @electron/fuses to set the Electron fuses (npm install -D @electron/fuses)`, { cause: error });
  }
  const o = fuses.FuseV1Options;
  await fuses.flipFuses(electronBinary(context), {
    version: fuses.FuseVersion.V1,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
    [o.RunAsNode!]: ELECTRON_FUSES.runAsNode,
    [o.EnableCookieEncryption!]: ELECTRON_FUSES.enableCookieEncryption,
    [o.EnableNodeOptionsEnvironmentVariable!]: ELECTRON_FUSES.enableNodeOptionsEnvironmentVariable,
    [o.EnableNodeCliInspectArguments!]: ELECTRON_FUSES.enableNodeCliInspectArguments,
    [o.EnableEmbeddedAsarIntegrityValidation!]: ELECTRON_FUSES.enableEmbeddedAsarIntegrityValidation,
    [o.OnlyLoadAppFromAsar!]: ELECTRON_FUSES.onlyLoadAppFromAsar,
    [o.LoadBrowserProcessSpecificV8Snapshot!]: ELECTRON_FUSES.loadBrowserProcessSpecificV8Snapshot,
    [o.GrantFileProtocolExtraPrivileges!]: ELECTRON_FUSES.grantFileProtocolExtraPrivileges,
  });
}

export default afterPack;
