// Asterisk runs play and record on a channel's control queue: one at a time, in
// order; a second play waits ("queued") until the first finishes. This module
// keeps that queue per channel.
import type { ChannelRecord, FakeAriState } from './state.js';

export interface MediaOperation {
  start(): void;
  /** The channel is going away: end now (events as Asterisk sends them on hangup). */
  abortForHangup(): void;
}

export interface MediaQueue {
  enqueue(channel: ChannelRecord, operation: MediaOperation): void;
  /** The running operation is done; start the next one. */
  finished(channel: ChannelRecord, operation: MediaOperation): void;
  /** Drop an operation that has not started yet. */
  removeQueued(channel: ChannelRecord, operation: MediaOperation): void;
  isRunning(channel: ChannelRecord, operation: MediaOperation): boolean;
  abortAll(channel: ChannelRecord): void;
}

export function createMediaQueue(state: FakeAriState): MediaQueue {
  // Start on a later tick so the HTTP response that queued it goes out first; by
  // then it may have been stopped or the channel hung up, hence the check.
  const startSoon = (channel: ChannelRecord, operation: MediaOperation) =>
    state.schedule(() => {
      if (channel.media[0] === operation) operation.start();
    }, 0);

  return {
    enqueue(channel, operation) {
      channel.media.push(operation);
      if (channel.media.length === 1) startSoon(channel, operation);
    },
    finished(channel, operation) {
      if (channel.media[0] !== operation) return;
      channel.media.shift();
      const next = channel.media[0];
      if (next) startSoon(channel, next);
    },
    removeQueued(channel, operation) {
      const index = channel.media.indexOf(operation);
      if (index > 0) channel.media.splice(index, 1);
    },
    isRunning(channel, operation) {
      return channel.media[0] === operation;
    },
    abortAll(channel) {
      const operations = channel.media.splice(0);
      for (const operation of operations) operation.abortForHangup();
    },
  };
}
