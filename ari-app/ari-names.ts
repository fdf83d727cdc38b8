/** ARI event names the app listens to (STYLE.md: names as constants, not scattered literals). */
export const AriEvent = {
  StasisStart: 'StasisStart',
  StasisEnd: 'StasisEnd',
  ChannelDtmfReceived: 'ChannelDtmfReceived',
  ChannelHangupRequest: 'ChannelHangupRequest',
  ChannelDestroyed: 'ChannelDestroyed',
  PlaybackFinished: 'PlaybackFinished',
  RecordingFinished: 'RecordingFinished',
  RecordingFailed: 'RecordingFailed',
} as const;

/** appArgs given to our snoop channels, so their StasisStart is not taken for a new call. */
export const SNOOP_APP_ARG = 'mcr-snoop';

/** Miss reasons the dialplan passes as the first Stasis argument. */
export const MISS_REASONS = ['NOANSWER', 'BUSY', 'CHANUNAVAIL', 'CONGESTION', 'AFTERHOURS'] as const;
