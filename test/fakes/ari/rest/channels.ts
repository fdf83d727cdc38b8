// /channels operations.
import { channelSnapshot } from '../events.js';
import { AriHttpError } from '../errors.js';
import { causeForReason, NORMAL_CLEARING } from '../hangup-causes.js';
import type { OperationParams } from '../router.js';
import type { IfExists, TerminateOn } from '../state.js';
import { noContent, ok, type HandlerResult, type OperationHandlers, type RestDeps } from './handler-types.js';

export function channelHandlers({ state, channels, playbacks, recordings }: RestDeps): OperationHandlers {
  const play = (params: OperationParams): HandlerResult => {
    const channel = channels.getInStasis(params.requiredString('channelId'));
    const playback = playbacks.play(channel, {
      media: params.list('media'),
      lang: params.string('lang'),
      playbackId: params.string('playbackId'),
    });
    return { status: 201, json: playback, location: `/playbacks/${encodeURIComponent(playback.id)}` };
  };

  const snoop = (params: OperationParams): HandlerResult =>
    ok(
      channels.snoop(params.requiredString('channelId'), {
        app: params.requiredString('app'),
        appArgs: params.string('appArgs'),
        snoopId: params.string('snoopId'),
      }),
    );

  return {
    'channels.list': () => ok([...state.channels.values()].map(channelSnapshot)),
    'channels.get': (params) => ok(channelSnapshot(channels.get(params.requiredString('channelId')))),
    'channels.hangup': (params) => {
      channels.hangup(params.requiredString('channelId'), { cause: hangupCause(params), soft: true });
      return noContent();
    },
    'channels.continueInDialplan': (params) => {
      channels.continueInDialplan(params.requiredString('channelId'));
      return noContent();
    },
    'channels.answer': (params) => {
      channels.answer(params.requiredString('channelId'));
      return noContent();
    },
    'channels.play': play,
    'channels.playWithId': play,
    'channels.record': (params) => {
      const channel = channels.getInStasis(params.requiredString('channelId'));
      const recording = recordings.record(channel, {
        name: params.requiredString('name'),
        format: params.requiredString('format'),
        maxDurationSeconds: params.int('maxDurationSeconds') ?? 0,
        maxSilenceSeconds: params.int('maxSilenceSeconds') ?? 0,
        ifExists: params.oneOf<IfExists>('ifExists', ['fail', 'overwrite', 'append'], 'fail'),
        terminateOn: params.oneOf<TerminateOn>('terminateOn', ['none', 'any', '*', '#'], 'none'),
      });
      return { status: 201, json: recording, location: `/recordings/live/${encodeURIComponent(recording.name)}` };
    },
    'channels.getChannelVar': (params) =>
      ok({ value: channels.getVariable(params.requiredString('channelId'), params.requiredString('variable')) }),
    'channels.setChannelVar': (params) => {
      channels.setVariable(
        params.requiredString('channelId'),
        params.requiredString('variable'),
        params.string('value'),
        params.bool('report_events') ?? false,
      );
      return noContent();
    },
    'channels.snoopChannel': snoop,
    'channels.snoopChannelWithId': snoop,
  };
}

function hangupCause(params: OperationParams): number {
  const code = params.string('reason_code');
  if (code !== undefined) {
    const cause = Number(code);
    if (!Number.isInteger(cause) || cause < 0) throw new AriHttpError(400, 'Invalid reason for hangup provided');
    return cause;
  }
  const reason = params.string('reason');
  if (reason === undefined) return NORMAL_CLEARING;
  const cause = causeForReason(reason);
  if (cause === undefined) throw new AriHttpError(400, 'Invalid reason for hangup provided');
  return cause;
}
