/**
 * A minimal WebSocket (RFC 6455) client side, enough to read `/containers/{id}/attach/ws`: the handshake
 * key and its check, reading data frames, answering pings, and the closing handshake.
 *
 * Why our own: Node 20 has no stable WebSocket client (the global `WebSocket` arrived unflagged in Node 22),
 * a dependency would be loaded by every CLI run, and the engine's WebSocket runs over the same connection
 * machinery as everything else (Unix sockets, SSH), which a browser-style client cannot use.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { ProtocolError } from '../errors.js';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Frame opcodes. */
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** A single message larger than this is refused (the engine sends output in small frames). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A fresh `Sec-WebSocket-Key`: 16 random bytes, base64. */
export function createWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The `Sec-WebSocket-Accept` a server must answer for `key`. */
export function webSocketAccept(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** Encodes one client frame (clients must mask every frame). */
export function encodeClientFrame(opcode: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) { frame[1] = 0x80 | 126; frame.writeUInt16BE(length, 2); }
  else { frame[1] = 0x80 | 127; frame.writeBigUInt64BE(BigInt(length), 2); }
  const maskAt = 2 + lengthBytes;
  const mask = randomBytes(4);
  mask.copy(frame, maskAt);
  for (let i = 0; i < length; i++) frame[maskAt + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

/** One frame as read from the server. */
interface Frame {
  opcode: number;
  payload: Buffer;
}

/**
 * Reads frames from a byte stream. A frame split across chunks, or several in one chunk, are both
 * handled; payloads of masked frames (servers must not mask, but may) are unmasked.
 */
export async function* readFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Frame> {
  let buffered: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buffered = buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffered, chunk]);
    for (;;) {
      const frame = parseFrame(buffered);
      if (!frame) break;
      buffered = buffered.subarray(frame.size);
      yield { opcode: frame.opcode, payload: frame.payload };
    }
  }
  if (buffered.length > 0) throw new ProtocolError('The WebSocket stream ended inside a frame');
}

function parseFrame(data: Buffer): (Frame & { size: number }) | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    const big = data.readBigUInt64BE(2);
    if (big > BigInt(MAX_FRAME_BYTES)) throw new ProtocolError(`WebSocket frame too large (${big} bytes)`);
    length = Number(big);
    at = 10;
  }
  if (length > MAX_FRAME_BYTES) throw new ProtocolError(`WebSocket frame too large (${length} bytes)`);
  const maskAt = at;
  if (masked) at += 4;
  if (data.length < at + length) return undefined;
  let payload = data.subarray(at, at + length);
  if (masked) {
    payload = Buffer.from(payload);
    for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ data[maskAt + (i & 3)]!;
  }
  return { opcode, payload, size: at + length };
}

/**
 * The data of a WebSocket connection as byte chunks (text and binary frames alike, fragments passed on as
 * they come). Pings are answered; a close frame from the server is answered and ends the iteration.
 */
export async function* webSocketData(stream: Duplex): AsyncGenerator<Uint8Array> {
  for await (const frame of readFrames(stream)) {
    switch (frame.opcode) {
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation:
        if (frame.payload.length > 0) yield frame.payload;
        break;
      case OPCODE.ping:
        if (!stream.writableEnded) stream.write(encodeClientFrame(OPCODE.pong, frame.payload));
        break;
      case OPCODE.pong:
        break;
      case OPCODE.close:
        // Echo the status code back, then stop: the server closes the TCP connection.
        if (!stream.writableEnded) stream.end(encodeClientFrame(OPCODE.close, frame.payload.subarray(0, 2)));
        return;
      default:
        throw new ProtocolError(`Unknown WebSocket opcode ${frame.opcode}`);
    }
  }
}

/** A close frame to send when the client leaves first (status 1000, normal closure). */
export function clientCloseFrame(): Buffer {
  return encodeClientFrame(OPCODE.close, Buffer.from([0x03, 0xe8]));
}
