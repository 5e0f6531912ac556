import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHostError } from '../src/errors.js';
import { createPluginHost, type PluginHost } from '../src/host/index.js';
import { compileFixture } from './support/compile.js';
import { fail } from './support/fake-driver.js';
import { type FakeHost, fakeHost } from './support/fake-host.js';
import { pluginFolder } from './support/plugin-folders.js';

/** Builds of the same plugin: the running one, a rebuild that fails on_mount, a good rebuild. */
let builds: { dir: string; v1: string; mountFails: string; v2: string };
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'pi-reload-'));
  builds = {
    dir,
    v1: compileFixture(join(dir, 'v1.so'), 'healthy.c'),
    mountFails: compileFixture(join(dir, 'mount-fails.so'), 'healthy.c', [
      '-DMOUNT_FAILS',
      '-DGREETING="broken"',
    ]),
    v2: compileFixture(join(dir, 'v2.so'), 'healthy.c', ['-DGREETING="v2"']),
  };
});
afterAll(() => rmSync(builds.dir, { recursive: true, force: true }));

/** A host over a fresh plugin folder running build v1, with instance `a` connected and `b` mounted. */
async function running(isolation: 'in-process' | 'isolated') {
  const root = mkdtempSync(join(builds.dir, `${isolation}-`));
  const dir = pluginFolder(root, 'p', builds.v1, 'abi = "1.0"');
  const host = await createPluginHost({ pluginDirs: [root], isolation });
  await host.load('p', { instanceId: 'a' });
  await host.connect('a');
  await host.load('p', { instanceId: 'b' });
  await host.handleMessage('a', 'before');
  return { host, library: join(dir, 'libp.so') };
}

const contents = (host: PluginHost, id: string) => host.history(id).messages.map((m) => m.content);

/** How often the fake driver created an instance with this id (its second create is on a new build). */
const createsOf = (t: FakeHost, id: string) => t.driver.calls.filter((c) => c === `${id}:create`).length;

/** A host over fake plugin `p` whose new build (an instance's second create) refuses on_mount where `refuses` says so. */
async function refusingNewBuild(
  refuses: (instanceId: string) => boolean,
  message: string,
): Promise<FakeHost> {
  const t: FakeHost = await fakeHost([
    {
      id: 'p',
      behavior: {
        lifecycle: (ctx, entry) => {
          const id = ctx.meta.instanceId;
          return entry === 'on_mount' && refuses(id) && createsOf(t, id) === 2 ? fail(message) : { ok: true };
        },
      },
    },
  ]);
  return t;
}

describe('reload loads the new library first', () => {
  for (const isolation of ['in-process', 'isolated'] as const) {
    it(`${isolation}: a rebuild that fails on_mount rejects the reload and every instance keeps running on the previous build`, async () => {
      const { host, library } = await running(isolation);
      await using _ = host;
      copyFileSync(builds.mountFails, library);

      const error = await host.reload('p').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isHostError(error) && error.message).toMatch(/this build refuses to mount/);

      const states = host.snapshot().instances.map((i) => [i.instance_id, i.state]);
      expect(states.sort()).toEqual([
        ['a', 'connected'],
        ['b', 'mounted'],
      ]);
      expect(contents(host, 'a')).toEqual(['before', 'healthy 1: before']);
      // The previous build answers (its greeting; `a` was re-created on it, so its count restarts).
      expect((await host.handleMessage('a', 'after')).reply).toBe('healthy 1: after');
      await host.connect('b');
      expect((await host.handleMessage('b', 'x')).reply).toBe('healthy 1: x');
      expect(contents(host, 'a')).toEqual(['before', 'healthy 1: before', 'after', 'healthy 1: after']);

      copyFileSync(builds.v2, library);
      const infos = await host.reload('p');
      expect(infos.map((i) => [i.instance_id, i.state]).sort()).toEqual([
        ['a', 'connected'],
        ['b', 'connected'],
      ]);
      expect((await host.handleMessage('a', 'fixed')).reply).toBe('v2 1: fixed');
      expect(contents(host, 'a').slice(0, 2)).toEqual(['before', 'healthy 1: before']);
      expect(host.plugins().find((p) => p.id === 'p')?.status).toBe('ready');
    });
  }

  it('a rebuilt library that does not load rejects the reload before any instance is touched', async () => {
    const { host, library } = await running('in-process');
    await using _ = host;
    writeFileSync(library, 'not a shared library');
    const error = await host.reload('p').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isHostError(error)).toBe(true);
    expect((await host.handleMessage('a', 'still')).reply).toBe('healthy 2: still');
    expect(host.instance('b').state).toBe('mounted');
  });

  it('an instance that fails on the new build after another moved: both go back, one build runs', async () => {
    // The new build mounts `a` but refuses `b`.
    const t = await refusingNewBuild((id) => id === 'b', 'new build refuses b');
    await using _ = t;
    await t.host.load('p', { instanceId: 'a' });
    await t.host.connect('a');
    await t.host.load('p', { instanceId: 'b' });
    await t.host.handleMessage('a', 'kept');
    await expect(t.host.reload('p')).rejects.toThrow(/new build refuses b/);

    expect(t.driver.openLibraries).toBe(1);
    // a: created on the old build, moved to the new one, moved back; b: tried the new one, back.
    expect(t.driver.calls.filter((c) => c === 'a:create')).toHaveLength(3);
    expect(t.driver.calls.filter((c) => c === 'b:create')).toHaveLength(3);
    const states = t.host.snapshot().instances.map((i) => [i.instance_id, i.state]);
    expect(states.sort()).toEqual([
      ['a', 'connected'],
      ['b', 'mounted'],
    ]);
    expect(t.host.history('a').messages.map((m) => m.content)).toContain('kept');
    // New instances go on the previous build too: no second library opens.
    await t.host.load('p', { instanceId: 'c' });
    expect(t.driver.openLibraries).toBe(1);
    expect((await t.host.reload('p')).map((i) => i.instance_id).sort()).toEqual(['a', 'b', 'c']);
    expect(t.driver.openLibraries).toBe(1);
  });

  /** A host over plugins p and q where p's `b` waits in on_dispose while a reload runs, until released. */
  async function reloadHeldAtB(refuseB: boolean) {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const creates = (id: string) => createsOf(t, id);
    const t = await fakeHost([
      {
        id: 'p',
        behavior: {
          lifecycle: async (ctx, entry) => {
            const id = ctx.meta.instanceId;
            if (entry === 'on_dispose' && id === 'b' && creates('b') === 1) await held;
            if (refuseB && entry === 'on_mount' && id === 'b' && creates('b') === 2)
              return fail('new build refuses b');
            return { ok: true };
          },
        },
      },
      { id: 'q' },
    ]);
    await t.host.load('p', { instanceId: 'a' });
    await t.host.load('p', { instanceId: 'b' });
    const reloading = t.host.reload('p');
    reloading.catch(() => undefined);
    // `a` is on the new build once it was created a second time and mounted there.
    await expect.poll(() => creates('a') === 2 && t.host.instance('a').state === 'mounted').toBe(true);
    return { t, reloading, release };
  }

  it('an instance unloaded after it moved does not make the reload fail (the new library stays open)', async () => {
    const { t, reloading, release } = await reloadHeldAtB(false);
    await using _ = t;
    await t.host.unload('a');
    release();
    expect((await reloading).map((i) => i.instance_id)).toEqual(['b']);
    await t.host.connect('b');
    expect((await t.host.handleMessage('b', 'still here')).reply).toBe('still here');
    expect(t.driver.openLibraries).toBe(1); // the new build; the old one closed
  });

  it('a failed reload leaves alone an instance that took the id of one it had moved', async () => {
    const { t, reloading, release } = await reloadHeldAtB(true);
    await using _ = t;
    await t.host.unload('a');
    await t.host.load('q', { instanceId: 'a' });
    release();
    await expect(reloading).rejects.toThrow(/new build refuses b/);
    expect(t.host.instance('a')).toMatchObject({ plugin_id: 'q', state: 'mounted' });
    expect(t.driver.calls.filter((c) => c === 'a:create')).toHaveLength(3); // p's two, q's one
    expect(t.host.instance('b')).toMatchObject({ plugin_id: 'p', state: 'mounted' });
  });

  it('leaves one library open after a failed reload (the new one closes) and after a good one (the old one closes)', async () => {
    let refuse = true;
    const t = await refusingNewBuild(() => refuse, 'new build refuses');
    await using _ = t;
    await t.host.load('p', { instanceId: 'a' });
    await t.host.load('p', { instanceId: 'b' });
    await expect(t.host.reload('p')).rejects.toThrow(/new build refuses/);
    expect(t.driver.openLibraries).toBe(1);
    expect(
      t.host
        .snapshot()
        .instances.map((i) => i.instance_id)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(t.driver.calls.filter((c) => c === 'b:destroy')).toEqual([]); // never moved
    refuse = false;
    expect((await t.host.reload('p')).map((i) => i.instance_id).sort()).toEqual(['a', 'b']);
    expect(t.driver.openLibraries).toBe(1);
    expect(t.driver.calls.filter((c) => c === 'p:close')).toHaveLength(2);
  });
});
