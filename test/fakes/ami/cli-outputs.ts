/**
 * What `Action: Command` answers for the CLI commands the project runs, in the
 * shape Asterisk's CLI prints them. A doctor command reads the dialplan one to
 * check the plug-in is loaded.
 */
export const DEFAULT_CLI_OUTPUTS: Readonly<Record<string, string>> = {
  'dialplan show missed-call-recovery': [
    "[ Context 'missed-call-recovery' created by 'pbx_config' ]",
    "  '_[+0-9s]!' =>    1. Gosub(missed-call-recovery-setup,s,1(${EXTEN}))  [extensions_missed_call_recovery.conf:41]",
    '                    2. Set(MCR_STAGE=ringing)                       [extensions_missed_call_recovery.conf:42]',
    '                    3. Dial(${MCR_RECEPTION},${MCR_RING_SECONDS},${MCR_DIAL_OPTIONS}) [extensions_missed_call_recovery.conf:43]',
    '     [missed]      13. Set(MCR_STAGE=stasis)                        [extensions_missed_call_recovery.conf:53]',
    '                   15. Stasis(missed-call-recovery,${DIALSTATUS},${MCR_DID}) [extensions_missed_call_recovery.conf:55]',
    '  \'h\' =>            1. GotoIf($["${MCR_STAGE}" != "ringing" | "${DIALSTATUS}" = "ANSWER"]?done) [extensions_missed_call_recovery.conf:80]',
    '                    2. UserEvent(MissedCallRecovery,Outcome: ABANDONED,Reason: ${DIALSTATUS},Did: ${MCR_DID}) [extensions_missed_call_recovery.conf:81]',
    '',
    '-= 2 extensions (38 priorities) in 1 context. =-',
  ].join('\n'),
};

/** Asterisk's answer to a command line it does not know. */
export function unknownCommandOutput(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  return `No such command '${command.trim()}' (type 'core show help ${first}' for other possible commands)`;
}
