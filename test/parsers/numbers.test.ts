import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cAtoi, lxcSafeUint } from '../../src/config/numbers.js';

test('lxcSafeUint reads as lxc_safe_uint (strtoul base 0, nothing after the number)', () => {
  assert.equal(lxcSafeUint('4'), 4);
  assert.equal(lxcSafeUint('0x10'), 16);
  assert.equal(lxcSafeUint('010'), 8);
  assert.equal(lxcSafeUint('+3'), 3);
  assert.equal(lxcSafeUint('0'), 0);
  for (const rejected of ['4 # ttys', '-1', '4.0', '08', '0x', '', 'four', '1e3', '4294967296']) assert.equal(lxcSafeUint(rejected), undefined, rejected);
});

test('cAtoi reads as atoi (the leading number, the rest ignored)', () => {
  assert.equal(cAtoi('4 # ttys'), 4);
  assert.equal(cAtoi('  12abc'), 12);
  assert.equal(cAtoi('0x4'), 0);
  assert.equal(cAtoi('-2'), -2);
  assert.equal(cAtoi('none'), 0);
});
