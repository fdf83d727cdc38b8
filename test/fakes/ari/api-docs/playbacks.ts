// The part of Asterisk 22's playbacks resource the fake implements.
import { listOf, pathParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration } from './types.js';

const playbackId = pathParam('playbackId', "Playback's id");
const notFound = { code: 404, reason: 'The playback cannot be found' };

export const playbacksApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/playbacks.{format}',
  apis: [
    {
      path: '/playbacks/{playbackId}',
      description: 'Control a playback',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get a playback.',
          nickname: 'get',
          responseClass: 'Playback',
          parameters: [playbackId],
          errorResponses: [notFound],
        },
        {
          httpMethod: 'DELETE',
          summary: 'Stop a playback.',
          nickname: 'stop',
          responseClass: 'void',
          parameters: [playbackId],
          errorResponses: [notFound],
        },
      ],
    },
  ],
  models: {
    Playback: {
      id: 'Playback',
      description: 'Media being played to a channel.',
      properties: {
        id: { required: true, type: 'string', description: 'Playback id' },
        media_uri: { required: true, type: 'string', description: 'Media currently playing' },
        next_media_uri: { required: false, type: 'string', description: 'Media that plays next, if any' },
        target_uri: { required: true, type: 'string', description: 'What is played to, e.g. channel:<id>' },
        language: { required: false, type: 'string', description: 'Language asked for' },
        state: {
          required: true,
          type: 'string',
          allowableValues: listOf('queued', 'playing', 'continuing', 'done', 'failed'),
        },
      },
    },
  },
};
