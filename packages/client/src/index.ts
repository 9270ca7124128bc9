/**
 * @passbook/client: a typed client for Passbook's BankConnect-compatible API, for browsers and
 * Node 18+ (fetch and WebCrypto only, no dependencies).
 */
export { PassbookClient, createClient } from './client.ts';
export type { CallArgs, CallInit, CreateSessionRequest, PassbookClientOptions, Progress, RequestOf, ResponseOf, SessionDataPart, UploadStatementRequest } from './client.ts';
export { PassbookError, isPassbookError, type ClientErrorCode } from './errors.ts';
export { verifyRedirectSignature, verifyWebhookSignature } from './signatures.ts';
export type { RedirectVerification, VerifyWebhookOptions, WebhookVerification } from './signatures.ts';
export { systemClock, waitUntil, type Clock, type WaitOptions } from './wait.ts';
export { operations } from './generated/operations.ts';
export type { ErrorCode, OperationInfo, OperationName, Operations, Schemas } from './generated/operations.ts';
