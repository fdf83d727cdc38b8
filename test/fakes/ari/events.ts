// How events leave the fake: services call an EventSink with the event body and
// the Stasis application it is for; the fake adds the common fields and delivers
// it to that application's WebSocket (or drops it, as Asterisk does when no
// WebSocket is connected).
import type { AriEventBody, ChannelJson } from './models.js';
import type { ChannelRecord } from './state.js';

export type EventSink = (app: string | undefined, body: AriEventBody) => void;

/** A copy of the channel as events and responses show it at this moment. */
export function channelSnapshot(channel: ChannelRecord): ChannelJson {
  const snapshot = structuredClone(channel.json);
  if (channel.reportedVariables.size > 0) {
    snapshot.channelvars = {};
    for (const name of channel.reportedVariables) snapshot.channelvars[name] = channel.variables.get(name) ?? '';
  }
  return snapshot;
}
