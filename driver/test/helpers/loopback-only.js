'use strict';
// Test-only safety net: this project may send traffic to loopback addresses only (127.0.0.0/8, ::1, localhost)
// and Unix sockets. Loaded by jest (setupFiles) and by every driver child process started from the tests
// (ts-register.js), it refuses any other TCP destination before a packet leaves, so a forgotten default such as
// the production metadata URL (169.254.169.254) fails the test loudly instead of reaching the network.
const net = require('node:net');

function isLoopback(host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  const h = String(host).replace(/^\[|\]$/g, '');
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./i.test(h);
  return false;
}

function destination(args) {
  const first = args[0];
  if (Array.isArray(first)) return destination(first); // internal normalized form
  // Node treats a truthy `path` as a Unix socket (the HTTP agent passes `path: null` for TCP).
  if (first !== null && typeof first === 'object') return first.path ? null : (first.host ?? 'localhost');
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return args[1];
  return null; // a Unix socket path
}

const checked = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = destination(args);
  if (host !== null) checked.push(String(host));
  if (host !== null && !isLoopback(host)) {
    const err = new Error(`loopback-only: refused a connection to ${host} (tests may reach 127.0.0.1 only)`);
    err.code = 'ECONNREFUSED';
    process.stderr.write(`${err.message}\n`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};

// For the guard's own test: the pure decisions, and the TCP destinations it has checked so far.
module.exports = { isLoopback, destination, checked };
