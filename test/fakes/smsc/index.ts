export { createFakeSmsc } from './server.js';
export { buildReceipt, receiptDate, MESSAGE_STATE_OF } from './receipts.js';
export { decodeUcs2, encodeUcs2 } from './decode.js';
export type {
  BindMode,
  BoundSession,
  ConcatInfo,
  DefaultAlphabet,
  DeliverOptions,
  DeliverResponse,
  DeliveryKind,
  FakeSmsc,
  FakeSmscEvents,
  FakeSmscOptions,
  MobileOriginated,
  ReceiptPlan,
  RefusedSubmit,
  ReceiptStat,
  StallScope,
  SubmittedMessage,
} from './types.js';
