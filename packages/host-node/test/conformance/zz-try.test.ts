import { it, expect } from 'vitest';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { createPluginHost } from '../../src/index.js';
it('echo', async () => {
  const built = await buildExamples({ outDir: '/tmp/conf/plugins' });
  console.log(built.map(b=>b.id));
  await using host = await createPluginHost({ pluginDirs: ['/tmp/conf/plugins'] });
  console.log(JSON.stringify(host.plugins().map(p=>[p.id,p.status,p.error?.message])));
  const i = await host.load('echo');
  console.log(JSON.stringify(i.tree));
  await host.connect(i.instance_id);
  console.log(await host.handleMessage(i.instance_id, 'hi'));
  console.log(await host.handleMessage(i.instance_id, 'later'));
  console.log(await host.handleMessage(i.instance_id, 'fail').catch(e=>e.code+' '+e.message));
});
