// Answering is shared: POST /answer does it, and so does starting a recording
// (Asterisk's record_file auto-answers a channel that is not up yet).
import { AriEventType } from './event-types.js';
import { channelSnapshot, type EventSink } from './events.js';
import type { ChannelRecord } from './state.js';

export function setChannelUp(channel: ChannelRecord, emit: EventSink): void {
  if (channel.json.state === 'Up') return;
  channel.json.state = 'Up';
  emit(channel.app, { type: AriEventType.ChannelStateChange, channel: channelSnapshot(channel) });
}
