import type { MessageKind } from '../../core/entities/index.js';

/**
 * A text this instance has claimed, as the sender carries it outside any
 * transaction. `attempts` is the claim's token: the row is still ours only
 * while its `attempts` is this number.
 */
export interface ClaimedText {
  id: string;
  attempts: number;
  businessId: string;
  toE164: string;
  fromAddr: string;
  kind: MessageKind;
  body: string;
}
