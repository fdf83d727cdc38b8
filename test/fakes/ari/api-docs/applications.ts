// The part of Asterisk 22's applications resource the fake implements.
import { pathParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration } from './types.js';

export const applicationsApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/applications.{format}',
  apis: [
    {
      path: '/applications',
      description: 'Stasis applications',
      operations: [
        { httpMethod: 'GET', summary: 'List registered applications.', nickname: 'list', responseClass: 'List[Application]' },
      ],
    },
    {
      path: '/applications/{applicationName}',
      description: 'One Stasis application',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get one application.',
          nickname: 'get',
          responseClass: 'Application',
          parameters: [pathParam('applicationName', "Application's name")],
          errorResponses: [{ code: 404, reason: 'Application does not exist.' }],
        },
      ],
    },
  ],
  models: {
    Application: {
      id: 'Application',
      description: 'A Stasis application and what it is subscribed to.',
      properties: {
        name: { required: true, type: 'string' },
        channel_ids: { required: true, type: 'List[string]' },
        bridge_ids: { required: true, type: 'List[string]' },
        endpoint_ids: { required: true, type: 'List[string]' },
        device_names: { required: true, type: 'List[string]' },
        events_allowed: { required: true, type: 'List[object]' },
        events_disallowed: { required: true, type: 'List[object]' },
      },
    },
  },
};
