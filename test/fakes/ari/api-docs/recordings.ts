// The part of Asterisk 22's recordings resource the fake implements.
import { listOf, pathParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration } from './types.js';

const recordingName = pathParam('recordingName', 'The name of the recording');
const notFound = { code: 404, reason: 'Recording not found' };

export const recordingsApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/recordings.{format}',
  apis: [
    {
      path: '/recordings/stored',
      description: 'Finished recordings',
      operations: [
        { httpMethod: 'GET', summary: 'List stored recordings.', nickname: 'listStored', responseClass: 'List[StoredRecording]' },
      ],
    },
    {
      path: '/recordings/stored/{recordingName}',
      description: 'One stored recording',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get a stored recording.',
          nickname: 'getStored',
          responseClass: 'StoredRecording',
          parameters: [recordingName],
          errorResponses: [notFound],
        },
        {
          httpMethod: 'DELETE',
          summary: 'Delete a stored recording.',
          nickname: 'deleteStored',
          responseClass: 'void',
          parameters: [recordingName],
          errorResponses: [notFound],
        },
      ],
    },
    {
      path: '/recordings/stored/{recordingName}/file',
      description: 'The audio of a stored recording',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Download the audio file of a stored recording.',
          nickname: 'getStoredFile',
          responseClass: 'binary',
          parameters: [recordingName],
          errorResponses: [{ code: 403, reason: 'The recording file could not be opened' }, notFound],
        },
      ],
    },
    {
      path: '/recordings/live/{recordingName}/stop',
      description: 'Stop a live recording',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Stop a live recording and store it.',
          nickname: 'stop',
          responseClass: 'void',
          parameters: [recordingName],
          errorResponses: [notFound],
        },
      ],
    },
  ],
  models: {
    StoredRecording: {
      id: 'StoredRecording',
      description: 'A finished recording on disk.',
      properties: {
        name: { required: true, type: 'string' },
        format: { required: true, type: 'string' },
      },
    },
    LiveRecording: {
      id: 'LiveRecording',
      description: 'A recording in progress (or just finished).',
      properties: {
        name: { required: true, type: 'string', description: 'Base name of the recording' },
        format: { required: true, type: 'string', description: 'File format' },
        target_uri: { required: true, type: 'string', description: 'What is recorded, e.g. channel:<id>' },
        state: {
          required: true,
          type: 'string',
          allowableValues: listOf('queued', 'recording', 'paused', 'done', 'failed', 'canceled'),
        },
        duration: { required: false, type: 'int', description: 'Length in seconds' },
        talking_duration: { required: false, type: 'int', description: 'Seconds of speech (only with maxSilenceSeconds)' },
        silence_duration: { required: false, type: 'int', description: 'Seconds of silence (only with maxSilenceSeconds)' },
        cause: { required: false, type: 'string', description: 'Why the recording failed' },
      },
    },
  },
};
