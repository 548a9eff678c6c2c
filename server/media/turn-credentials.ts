import { createHmac } from 'node:crypto';
import type { Config } from '../config/config.types';

/** One entry of RTCConfiguration.iceServers, as mediasoup-client passes it to the browser. */
export interface IceServer {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

export interface TurnCredential {
  /** `<expiryUnixSeconds>:<userId>`: coturn reads the expiry from it and refuses it afterwards. */
  readonly username: string;
  /** base64(HMAC-SHA1(TURN_SECRET, username)), coturn's `use-auth-secret` (TURN REST API). */
  readonly credential: string;
  readonly expiresAt: Date;
}

/**
 * A time-limited TURN REST credential for one person. Pure: the caller passes the clock's time,
 * so a test can move it, and the secret, so nothing here reads configuration itself.
 */
export function turnCredential(
  secret: string,
  userId: string,
  now: Date,
  ttlSeconds: number,
): TurnCredential {
  const expirySeconds = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expirySeconds}:${userId}`;
  return {
    username,
    credential: createHmac('sha1', secret).update(username).digest('base64'),
    expiresAt: new Date(expirySeconds * 1000),
  };
}

/**
 * The TURN servers offered to a person admitted to a room: UDP and TCP on TURN_PORT (3478), and TLS on 5349
 * when TURN_TLS is on. None when TURN_HOST is unset (the default install has no coturn), so the
 * browser then only tries the SFU directly.
 */
export function turnIceServers(
  config: Pick<Config, 'turn' | 'secrets'>,
  userId: string,
  now: Date,
): IceServer[] {
  const { host, tls, port, credentialTtlSeconds } = config.turn;
  if (host === undefined || host === '') return [];
  // A bare IPv6 address must be bracketed inside a TURN URI.
  const h = host.includes(':') ? `[${host}]` : host;
  const urls = [`turn:${h}:${port}?transport=udp`, `turn:${h}:${port}?transport=tcp`];
  if (tls) urls.push(`turns:${h}:5349?transport=tcp`);
  const { username, credential } = turnCredential(
    config.secrets.turnSecret,
    userId,
    now,
    credentialTtlSeconds,
  );
  return [{ urls, username, credential }];
}
