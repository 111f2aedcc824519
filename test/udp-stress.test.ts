/**
 * 100 UDP senders, 1,000 datagrams each, to one receiver on loopback, all
 * in one loop: every datagram is accounted for. Each carries its sender's
 * number and its sequence number; the receiver checks that none arrives
 * twice, that none is damaged, and that each sender's datagrams arrive in
 * the order they were sent (loopback keeps it). What does not arrive must
 * have been dropped where a receive buffer overflowed: by the kernel
 * (its count is in /proc/net/udp) or by uvts's receive queue
 * (`droppedDatagrams`); nothing may vanish silently.
 *
 * The senders keep at most WINDOW datagrams in flight between them (sent,
 * not yet received or known dropped), a little flow control that keeps the
 * receive buffer from overflowing in the common case and the test quick;
 * the accounting does not rely on it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Loop, Timer, UDP } from '../src/index.js';
import { bothProfiles, teardown } from './helpers.js';

const SENDERS = 100;
const PER_SENDER = 1000;
const TOTAL = SENDERS * PER_SENDER;
const WINDOW = 128;
const LOOPBACK = '127.0.0.1';

/** The kernel's drop count of the UDP socket on 127.0.0.1:`port` (/proc/net/udp). */
function kernelDrops(port: number): number {
  for (const line of readFileSync('/proc/net/udp', 'latin1').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port) return Number(fields[12]);
  }
  return 0;
}

bothProfiles(
  '100 concurrent senders x 1,000 datagrams: every datagram received once, in order per sender, or counted as dropped',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const receiver = new UDP(loop);
    receiver.bind(LOOPBACK, 0);
    const port = receiver.getsockname().port;
    const nextExpected = new Array<number>(SENDERS).fill(0);
    const missing: number[] = [];
    let received = 0;
    let gaps = 0;
    let sendErrors = 0;
    let sent = 0;
    const senders: UDP[] = [];
    const nextSequence = new Array<number>(SENDERS).fill(0);
    let cursor = 0;

    const inFlight = (): number => sent - received - gaps;
    /** Sends from the senders in turn while the window allows. */
    const pump = (): void => {
      while (inFlight() < WINDOW && sent < TOTAL) {
        const index = cursor;
        cursor = (cursor + 1) % SENDERS;
        const sequence = nextSequence[index] as number;
        if (sequence === PER_SENDER) continue;
        nextSequence[index] = sequence + 1;
        const datagram = Buffer.alloc(8);
        datagram.writeUInt32BE(index, 0);
        datagram.writeUInt32BE(sequence, 4);
        sent++;
        (senders[index] as UDP).send(LOOPBACK, port, datagram, (_handle, error) => {
          if (error !== null) sendErrors++;
        });
      }
    };

    receiver.startRecv((_handle, address, _flags, data, error) => {
      assert.equal(error, null);
      if (data === null) {
        pump();
        return;
      }
      assert.equal(data.length, 8);
      assert.equal(address?.address, LOOPBACK);
      const index = data.readUInt32BE(0);
      const sequence = data.readUInt32BE(4);
      assert.ok(index < SENDERS, 'a damaged datagram');
      const expected = nextExpected[index] as number;
      // Never twice, never out of order; a jump is a drop, counted.
      assert.ok(sequence >= expected, `sender ${index}: ${sequence} after ${expected - 1}`);
      if (sequence > expected) {
        gaps += sequence - expected;
        for (let lost = expected; lost < sequence; lost++) missing.push(index * PER_SENDER + lost);
      }
      nextExpected[index] = sequence + 1;
      received++;
      if (received + gaps === TOTAL) finish();
      else if (received % 32 === 0) pump();
    });
    for (let index = 0; index < SENDERS; index++) {
      const sender = new UDP(loop);
      sender.bind(LOOPBACK, 0);
      senders.push(sender);
    }

    // Datagrams lost at the very end show up as no gap (nothing follows
    // them): a quiet period ends the wait, and the accounting still holds.
    const watchdog = new Timer(loop);
    let lastSeen = -1;
    watchdog.start(
      (timer) => {
        if (received === lastSeen) finish();
        lastSeen = received;
        pump();
        if (timer.closing) return;
      },
      500,
      500,
    );
    function finish(): void {
      for (const handle of [receiver, watchdog, ...senders]) if (!handle.closing) handle.close();
    }

    pump();
    const drops = (): number => kernelDrops(port) + receiver.droppedDatagrams;
    const dropsBefore = drops();
    await loop.run();
    const tail = TOTAL - received - gaps;
    const dropped = drops() - dropsBefore;
    assert.equal(sendErrors, 0);
    assert.equal(sent, TOTAL);
    // Every datagram that did not arrive was dropped by a receive buffer.
    assert.equal(
      received + dropped,
      TOTAL,
      `${received} received, ${dropped} dropped, ${missing.length} gaps, ${tail} lost at the end`,
    );
    await teardown(loop);
  },
  { timeout: 120_000 },
);
