import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { badRequest, list, notFound, one, PAGING } from '../http/examples';

/* Realistic answers of the dead-letter API, for the query app's OpenAPI document. */

const letter = {
  id: 'order-events:3:1207',
  topic: 'order-events',
  partition: 3,
  offset: '1207',
  key: '9b58abd3-e342-4fd0-b687-061841230668',
  reason: 'INVALID_PAYLOAD',
  detail: 'OrderCreated schemaVersion 2 is newer than 1',
  failedAt: '2026-12-05T09:12:44.120Z',
  value: '{"eventId":"0f5c…","eventType":"OrderCreated","schemaVersion":2,…}',
  valueEncoding: 'utf8',
  event: {
    type: 'OrderCreated',
    aggregateType: 'Order',
    aggregateId: '9b58abd3-e342-4fd0-b687-061841230668',
    aggregateVersion: 1,
  },
  status: 'OPEN',
  statusChangedAt: null,
  discardReason: null,
  lastFailedRetry: null,
};

const unknownLetter = notFound('DEAD_LETTER_NOT_FOUND');

export const ApiDeadLetterList = (): MethodDecorator =>
  applyDecorators(ApiOkResponse({ description: PAGING, schema: { example: list(letter) } }), badRequest);
export const ApiDeadLetter = (): MethodDecorator =>
  applyDecorators(ApiOkResponse({ schema: { example: one(letter) } }), badRequest, unknownLetter);
export const ApiDeadLetterRetry = (): MethodDecorator =>
  applyDecorators(
    ApiOkResponse({
      description: 'Applied: RETRIED',
      schema: {
        example: one({
          ...letter,
          status: 'RETRIED',
          statusChangedAt: '2026-12-05T10:02:13.551Z',
          alsoRetried: ['order-events:3:1208'],
        }),
      },
    }),
    badRequest,
    unknownLetter,
    ApiResponse({
      status: 422,
      description:
        'RETRY_FAILED (problem+json): the event still cannot be applied; `reason` says why and `deadLetter` is the ' +
        'letter, still OPEN, with `lastFailedRetry`',
    }),
    ApiResponse({ status: 503, description: 'NOT_READY: the projections are not running; retry shortly' }),
  );
export const ApiDeadLetterDiscard = (): MethodDecorator =>
  applyDecorators(
    ApiOkResponse({
      schema: {
        example: one({
          ...letter,
          status: 'DISCARDED',
          statusChangedAt: '2026-12-05T10:05:00.000Z',
          discardReason: 'test event sent by hand',
        }),
      },
    }),
    badRequest,
    unknownLetter,
    ApiResponse({ status: 409, description: 'DEAD_LETTER_ALREADY_RETRIED: its event is applied; it stays RETRIED' }),
  );
