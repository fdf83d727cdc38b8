// The part of Asterisk 22's channels resource the fake implements. Paths, methods,
// parameter names/types/required flags follow Asterisk (checked by
// test/fake-ari.contract.test.ts); the prose is ours.
import { listOf, pathParam, queryParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration } from './types.js';

const channelId = pathParam('channelId', "Channel's id");
const notFound = { code: 404, reason: 'Channel not found' };
const notInStasis = { code: 409, reason: 'Channel not in a Stasis application' };
const invalidState = { code: 412, reason: 'Channel in invalid state' };

const playParams = [
  queryParam('media', 'string', 'Media URIs to play, in order (sound:, recording:, number:, digits:, characters:, tone:).', {
    required: true,
    allowMultiple: true,
  }),
  queryParam('lang', 'string', 'Language for the media.'),
  queryParam('offsetms', 'int', 'Milliseconds to skip before playing (first media only).'),
  queryParam('skipms', 'int', 'Milliseconds to skip on forward/reverse.', { defaultValue: 3000 }),
];

const snoopDirection = listOf('none', 'both', 'out', 'in');
const snoopParams = [
  queryParam('spy', 'string', 'Direction of audio to spy on.', { defaultValue: 'none', allowableValues: snoopDirection }),
  queryParam('whisper', 'string', 'Direction of audio to whisper into.', {
    defaultValue: 'none',
    allowableValues: snoopDirection,
  }),
  queryParam('app', 'string', 'Stasis application the snoop channel is placed in.', { required: true }),
  queryParam('appArgs', 'string', 'Arguments passed to that application.'),
];

export const channelsApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/channels.{format}',
  apis: [
    {
      path: '/channels',
      description: 'Active channels',
      operations: [{ httpMethod: 'GET', summary: 'List all active channels.', nickname: 'list', responseClass: 'List[Channel]' }],
    },
    {
      path: '/channels/{channelId}',
      description: 'One channel',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Get one channel.',
          nickname: 'get',
          responseClass: 'Channel',
          parameters: [channelId],
          errorResponses: [notFound],
        },
        {
          httpMethod: 'DELETE',
          summary: 'Hang up a channel.',
          nickname: 'hangup',
          responseClass: 'void',
          parameters: [
            channelId,
            queryParam('reason_code', 'string', 'Q.850 cause code to hang up with.'),
            queryParam('reason', 'string', 'Named reason to hang up with (instead of reason_code).', {
              allowableValues: listOf(
                'normal',
                'busy',
                'congestion',
                'no_answer',
                'timeout',
                'rejected',
                'unallocated',
                'normal_unspecified',
                'number_incomplete',
                'codec_mismatch',
                'interworking',
                'failure',
                'answered_elsewhere',
              ),
            }),
          ],
          errorResponses: [{ code: 400, reason: 'Invalid reason for hangup provided' }, notFound],
        },
      ],
    },
    {
      path: '/channels/{channelId}/continue',
      description: 'Exit application; continue execution in the dialplan',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Exit application; continue execution in the dialplan.',
          nickname: 'continueInDialplan',
          responseClass: 'void',
          parameters: [
            channelId,
            queryParam('context', 'string', 'The context to continue to.'),
            queryParam('extension', 'string', 'The extension to continue to.'),
            queryParam('priority', 'int', 'The priority to continue to.'),
            queryParam('label', 'string', "The label to continue to - will supersede 'priority' if both are provided."),
          ],
          errorResponses: [notFound, notInStasis],
        },
      ],
    },
    {
      path: '/channels/{channelId}/answer',
      description: 'Answer a channel',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Answer a channel.',
          nickname: 'answer',
          responseClass: 'void',
          parameters: [channelId],
          errorResponses: [notFound, notInStasis, invalidState],
        },
      ],
    },
    {
      path: '/channels/{channelId}/play',
      description: 'Play media to a channel',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Start playing media to a channel.',
          notes: 'Returns the Playback; PlaybackStarted and PlaybackFinished events follow.',
          nickname: 'play',
          responseClass: 'Playback',
          parameters: [channelId, ...playParams, queryParam('playbackId', 'string', 'Id to give the playback.')],
          errorResponses: [notFound, notInStasis, invalidState],
        },
      ],
    },
    {
      path: '/channels/{channelId}/play/{playbackId}',
      description: 'Play media to a channel with a chosen playback id',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Start playing media to a channel, with a client-chosen playback id.',
          nickname: 'playWithId',
          responseClass: 'Playback',
          parameters: [channelId, pathParam('playbackId', 'Playback id'), ...playParams],
          errorResponses: [notFound, notInStasis, invalidState],
        },
      ],
    },
    {
      path: '/channels/{channelId}/record',
      description: 'Record audio from a channel',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Start recording a channel.',
          notes: 'Returns the LiveRecording; RecordingStarted and RecordingFinished events follow.',
          nickname: 'record',
          responseClass: 'LiveRecording',
          parameters: [
            channelId,
            queryParam('name', 'string', 'Name of the recording (the stored file name, without format).', {
              required: true,
            }),
            queryParam('format', 'string', 'File format, e.g. wav.', { required: true }),
            queryParam('maxDurationSeconds', 'int', 'Stop after this many seconds; 0 for no limit.', {
              defaultValue: 0,
              allowableValues: { valueType: 'RANGE', min: 0 },
            }),
            queryParam('maxSilenceSeconds', 'int', 'Stop after this many seconds of silence; 0 for no limit.', {
              defaultValue: 0,
              allowableValues: { valueType: 'RANGE', min: 0 },
            }),
            queryParam('ifExists', 'string', 'What to do when a recording of that name exists.', {
              defaultValue: 'fail',
              allowableValues: listOf('fail', 'overwrite', 'append'),
            }),
            queryParam('beep', 'boolean', 'Play a beep before recording.', { defaultValue: false }),
            queryParam('terminateOn', 'string', 'DTMF that ends the recording.', {
              defaultValue: 'none',
              allowableValues: listOf('none', 'any', '*', '#'),
            }),
          ],
          errorResponses: [
            { code: 400, reason: 'Invalid parameters' },
            notFound,
            { code: 409, reason: 'Channel not in Stasis, or a recording of that name exists and may not be replaced' },
            { code: 422, reason: 'Unknown format' },
          ],
        },
      ],
    },
    {
      path: '/channels/{channelId}/variable',
      description: 'Channel variables',
      operations: [
        {
          httpMethod: 'GET',
          summary: 'Read a channel variable or function.',
          nickname: 'getChannelVar',
          responseClass: 'Variable',
          parameters: [channelId, queryParam('variable', 'string', 'Variable (or function) name.', { required: true })],
          errorResponses: [
            { code: 400, reason: 'Missing variable parameter.' },
            { code: 404, reason: 'Channel or variable not found' },
            notInStasis,
          ],
        },
        {
          httpMethod: 'POST',
          summary: 'Set a channel variable.',
          nickname: 'setChannelVar',
          responseClass: 'void',
          parameters: [
            channelId,
            queryParam('variable', 'string', 'Variable name.', { required: true }),
            queryParam('value', 'string', 'Value; unset when absent.'),
            queryParam('report_events', 'boolean', 'Include the variable in channel snapshots of later events.', {
              defaultValue: false,
            }),
          ],
          errorResponses: [{ code: 400, reason: 'Missing variable parameter.' }, notFound, notInStasis],
        },
      ],
    },
    {
      path: '/channels/{channelId}/snoop',
      description: 'Snoop (spy/whisper) on a channel',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Create a snoop channel on a channel and place it in a Stasis application.',
          nickname: 'snoopChannel',
          responseClass: 'Channel',
          parameters: [channelId, ...snoopParams, queryParam('snoopId', 'string', 'Id to give the snoop channel.')],
          errorResponses: [{ code: 400, reason: 'Invalid parameters' }, notFound],
        },
      ],
    },
    {
      path: '/channels/{channelId}/snoop/{snoopId}',
      description: 'Snoop on a channel with a chosen snoop channel id',
      operations: [
        {
          httpMethod: 'POST',
          summary: 'Create a snoop channel with a client-chosen id.',
          nickname: 'snoopChannelWithId',
          responseClass: 'Channel',
          parameters: [channelId, pathParam('snoopId', 'Snoop channel id'), ...snoopParams],
          errorResponses: [{ code: 400, reason: 'Invalid parameters' }, notFound],
        },
      ],
    },
  ],
  models: {
    CallerID: {
      id: 'CallerID',
      description: 'Caller identification',
      properties: { name: { required: true, type: 'string' }, number: { required: true, type: 'string' } },
    },
    DialplanCEP: {
      id: 'DialplanCEP',
      description: 'Dialplan location (context/extension/priority)',
      properties: {
        context: { required: true, type: 'string', description: 'Context' },
        exten: { required: true, type: 'string', description: 'Extension' },
        priority: { required: true, type: 'long', description: 'Priority' },
        app_name: { required: true, type: 'string', description: 'Dialplan application being run' },
        app_data: { required: true, type: 'string', description: "That application's arguments" },
      },
    },
    Channel: {
      id: 'Channel',
      description: 'A call leg between Asterisk and an endpoint.',
      properties: {
        id: { required: true, type: 'string', description: 'Unique id (AMI Uniqueid).' },
        protocol_id: { required: true, type: 'string', description: 'Protocol id, e.g. the SIP Call-ID.' },
        name: { required: true, type: 'string', description: 'Channel name, e.g. PJSIP/trunk-00000001' },
        state: {
          required: true,
          type: 'string',
          allowableValues: listOf(
            'Down',
            'Rsrved',
            'OffHook',
            'Dialing',
            'Ring',
            'Ringing',
            'Up',
            'Busy',
            'Dialing Offhook',
            'Pre-ring',
            'Unknown',
          ),
        },
        caller: { required: true, type: 'CallerID' },
        connected: { required: true, type: 'CallerID' },
        accountcode: { required: true, type: 'string' },
        dialplan: { required: true, type: 'DialplanCEP', description: 'Where the channel is in the dialplan' },
        creationtime: { required: true, type: 'Date', description: 'When the channel was created' },
        language: { required: true, type: 'string', description: 'Default language' },
        channelvars: { required: false, type: 'object', description: 'Reported channel variables' },
      },
    },
  },
};
