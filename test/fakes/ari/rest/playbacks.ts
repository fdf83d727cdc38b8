// /playbacks operations.
import { noContent, ok, type OperationHandlers, type RestDeps } from './handler-types.js';

export function playbackHandlers({ playbacks }: RestDeps): OperationHandlers {
  return {
    'playbacks.get': (params) => ok(playbacks.get(params.requiredString('playbackId'))),
    'playbacks.stop': (params) => {
      playbacks.stop(params.requiredString('playbackId'));
      return noContent();
    },
  };
}
