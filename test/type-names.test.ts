/**
 * libuv's `handle_type_name` and `req_type_name` tests
 * (test-getters-setters.c): the type-name tables and their edges.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandleTypeCode, RequestTypeCode, handleTypeName, requestTypeName } from '../src/index.js';

test('handle_type_name', () => {
  assert.equal(handleTypeName(HandleTypeCode.NAMED_PIPE), 'pipe');
  assert.equal(handleTypeName(HandleTypeCode.UDP), 'udp');
  assert.equal(handleTypeName(HandleTypeCode.FILE), 'file');
  assert.equal(handleTypeName(HandleTypeCode.HANDLE_TYPE_MAX), null);
  assert.equal(handleTypeName(HandleTypeCode.HANDLE_TYPE_MAX + 1), null);
  assert.equal(handleTypeName(HandleTypeCode.UNKNOWN_HANDLE), null);
  // Every type uvts reports by name is in the table.
  for (const name of [
    'async',
    'check',
    'idle',
    'prepare',
    'timer',
    'tcp',
    'tty',
    'signal',
    'process',
    'poll',
  ]) {
    assert.ok(
      Object.values(HandleTypeCode).some((code) => handleTypeName(code) === name),
      name,
    );
  }
  assert.equal(handleTypeName(1.5), null);
  assert.throws(() => handleTypeName('tcp' as unknown as number), TypeError);
});

test('req_type_name', () => {
  assert.equal(requestTypeName(RequestTypeCode.REQ), 'req');
  assert.equal(requestTypeName(RequestTypeCode.UDP_SEND), 'udp_send');
  assert.equal(requestTypeName(RequestTypeCode.WORK), 'work');
  assert.equal(requestTypeName(RequestTypeCode.REQ_TYPE_MAX), null);
  assert.equal(requestTypeName(RequestTypeCode.REQ_TYPE_MAX + 1), null);
  assert.equal(requestTypeName(RequestTypeCode.UNKNOWN_REQ), null);
  assert.equal(requestTypeName(-1), null);
});
