// /recordings operations.
import { noContent, ok, type OperationHandlers, type RestDeps } from './handler-types.js';

export function recordingHandlers({ recordings }: RestDeps): OperationHandlers {
  return {
    'recordings.listStored': () => ok(recordings.listStored()),
    'recordings.getStored': (params) => ok(recordings.getStored(params.requiredString('recordingName'))),
    'recordings.deleteStored': (params) => {
      recordings.deleteStored(params.requiredString('recordingName'));
      return noContent();
    },
    'recordings.getStoredFile': (params) => ({
      status: 200,
      file: recordings.storedFile(params.requiredString('recordingName')),
    }),
    'recordings.stop': (params) => {
      recordings.stop(params.requiredString('recordingName'));
      return noContent();
    },
  };
}
