// Q.850 causes the fake uses, with Asterisk's ast_cause2str() text, and the
// `reason` names DELETE /channels/{id} accepts.

const causeText: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  26: 'Non-selected user clearing',
  27: 'Destination out of order',
  28: 'Invalid number format (addr incomplete)',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  58: 'Bearer capability not available',
  127: 'Interworking, unspecified',
};

export function hangupCauseText(cause: number): string {
  return causeText[cause] ?? 'Unknown';
}

export const NORMAL_CLEARING = 16;

const reasonCauses: Record<string, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 27,
  answered_elsewhere: 26,
};

export function causeForReason(reason: string): number | undefined {
  return reasonCauses[reason];
}
