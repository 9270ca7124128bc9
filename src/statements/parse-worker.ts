/** Runs in a worker thread: parses one statement per message and posts the result back. */
import { parentPort } from 'node:worker_threads';
import { loadBankCatalogue } from '../banks/bank-catalogue.ts';
import { AppError } from '../errors/codes.ts';
import { parseStatement, type ParseOptions } from './parse-statement.ts';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  options: ParseOptions;
}

export type ParseReply =
  | { id: number; ok: true; statement: Awaited<ReturnType<typeof parseStatement>> }
  | { id: number; ok: false; code: string | null; message: string };

const banks = loadBankCatalogue();

parentPort!.on('message', async (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: request.id, ok: true, statement: await parseStatement(request.bytes, banks, request.options) };
  } catch (error) {
    reply = error instanceof AppError
      ? { id: request.id, ok: false, code: error.code, message: error.message }
      : { id: request.id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
