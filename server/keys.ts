/**
 * Unguessable ids and link tokens from the OS CSPRNG, and the hash under which tokens are stored.
 * Ids carry 128 random bits, tokens 256; both are base64url so they fit in a URL as they are.
 */
import { createHash, randomBytes } from 'node:crypto';

export const newId = (): string => randomBytes(16).toString('base64url');
export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
