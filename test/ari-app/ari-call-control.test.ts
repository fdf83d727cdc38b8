import ari, { type Client } from 'ari-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriCallControl } from '../../ari-app/ari-call-control.js';
import { withoutSwaggerNotice } from '../../ari-app/ari-client-quirks.js';
import { ResourceGoneError } from '../../ari-app/call-control.js';
import { createFakeAri, type FakeAri } from '../fakes/ari/index.js';

let fake: FakeAri;
let client: Client;
let control: AriCallControl;

describe('the ARI adapter against the fake Asterisk', () => {
  beforeAll(async () => {
    // One set of credentials per process: ari-client shares them between clients.
    fake = await createFakeAri({ username: 'mcr', password: 'ari-secret' });
    client = await withoutSwaggerNotice(() => ari.connect(fake.url, 'mcr', 'ari-secret'));
    await withoutSwaggerNotice(() => client.start('missed-call-recovery'));
    control = new AriCallControl(client, { url: fake.url, username: 'mcr', password: 'ari-secret', app: 'missed-call-recovery' });
  });
  afterAll(async () => {
    client?.stop();
    await fake?.close();
  });

  it('when a variable is unset, then it reads as null and the call goes on', async () => {
    const channelId = fake.addChannel({ callerNumber: '+14155550100', exten: '+14155559999' });
    fake.startStasis(channelId, ['NOANSWER']);
    expect(await control.getVariable(channelId, 'NOT_SET_ANYWHERE')).toBeNull();
    expect(await control.getVariable(channelId, 'CHANNEL(linkedid)')).toBe(channelId);
    expect(await control.channelExists(channelId)).toBe(true);
  });

  it('when the channel has hung up, then operations say it is gone rather than failing', async () => {
    const channelId = fake.addChannel({ callerNumber: '+14155550101', exten: '+14155559999' });
    fake.startStasis(channelId, ['NOANSWER']);
    fake.callerHangup(channelId);
    await expect(control.answer(channelId)).rejects.toBeInstanceOf(ResourceGoneError);
    await expect(control.getVariable(channelId, 'CHANNEL(linkedid)')).rejects.toBeInstanceOf(ResourceGoneError);
    expect(await control.channelExists(channelId)).toBe(false);
    expect(await control.playbackExists('no-such-playback')).toBe(false);
  });

  it('when a call is recorded through a snoop channel, then the stored bytes come back exactly', async () => {
    const channelId = fake.addChannel({ callerNumber: '+14155550102', exten: '+14155559999' });
    fake.startStasis(channelId, ['NOANSWER']);
    await control.answer(channelId);
    const { snoopChannelId } = await control.startRecording(channelId, 'adapter-test');
    expect(fake.channels.get(snoopChannelId)?.snoopOf).toBe(channelId);
    await control.stopRecording('adapter-test');
    const bytes = await control.fetchRecording('adapter-test');
    expect(bytes.equals(fake.storedRecording('adapter-test')!)).toBe(true);
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    await control.deleteRecording('adapter-test');
    expect(fake.storedRecording('adapter-test')).toBeUndefined();
    await expect(control.fetchRecording('adapter-test')).rejects.toBeInstanceOf(ResourceGoneError);
  });
});
