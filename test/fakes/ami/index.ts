export { AMI_GREETING, createFakeAmi } from './server.js';
export { DEFAULT_CLI_OUTPUTS } from './cli-outputs.js';
export type { FakeAmi, FakeAmiOptions, ReceivedAction } from './types.js';
