// The part of Asterisk 22's asterisk resource the fake implements. Variable lives
// here, as in Asterisk, though channels use it (swagger-client merges all models).
import { listOf, queryParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration } from './types.js';

const req = (type: string) => ({ required: true, type });

export const asteriskApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/asterisk.{format}',
  apis: [
    {
      path: '/asterisk/info',
      description: 'Asterisk system information',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get Asterisk build, system, config and status information.',
          nickname: 'getInfo',
          responseClass: 'AsteriskInfo',
          parameters: [
            queryParam('only', 'string', 'Sections to return.', {
              allowMultiple: true,
              allowableValues: listOf('build', 'system', 'config', 'status'),
            }),
          ],
        },
      ],
    },
    {
      path: '/asterisk/variable',
      description: 'Global variables',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get the value of a global variable.',
          nickname: 'getGlobalVar',
          responseClass: 'Variable',
          parameters: [queryParam('variable', 'string', 'The variable to get', { required: true })],
          errorResponses: [{ code: 400, reason: 'Missing variable parameter.' }],
        },
        {
          httpMethod: 'POST',
          summary: 'Set the value of a global variable.',
          nickname: 'setGlobalVar',
          responseClass: 'void',
          parameters: [
            queryParam('variable', 'string', 'The variable to set', { required: true }),
            queryParam('value', 'string', 'The value to set the variable to'),
          ],
          errorResponses: [{ code: 400, reason: 'Missing variable parameter.' }],
        },
      ],
    },
  ],
  models: {
    BuildInfo: {
      id: 'BuildInfo',
      description: 'How Asterisk was built',
      properties: { os: req('string'), kernel: req('string'), options: req('string'), machine: req('string'), date: req('string'), user: req('string') },
    },
    SystemInfo: {
      id: 'SystemInfo',
      description: 'The system running Asterisk',
      properties: { version: req('string'), entity_id: req('string') },
    },
    SetId: {
      id: 'SetId',
      description: 'Effective user/group id',
      properties: { user: req('string'), group: req('string') },
    },
    ConfigInfo: {
      id: 'ConfigInfo',
      description: 'Asterisk configuration',
      properties: {
        name: req('string'),
        default_language: req('string'),
        max_channels: { required: false, type: 'int' },
        max_open_files: { required: false, type: 'int' },
        max_load: { required: false, type: 'double' },
        setid: req('SetId'),
      },
    },
    StatusInfo: {
      id: 'StatusInfo',
      description: 'Asterisk status',
      properties: { startup_time: req('Date'), last_reload_time: req('Date') },
    },
    AsteriskInfo: {
      id: 'AsteriskInfo',
      description: 'Asterisk system information',
      properties: {
        build: { required: false, type: 'BuildInfo' },
        system: { required: false, type: 'SystemInfo' },
        config: { required: false, type: 'ConfigInfo' },
        status: { required: false, type: 'StatusInfo' },
      },
    },
    Variable: {
      id: 'Variable',
      description: 'The value of a channel variable',
      properties: { value: { required: true, type: 'string', description: 'The value' } },
    },
  },
};
