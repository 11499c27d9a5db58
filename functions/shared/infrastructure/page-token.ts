/**
 * Page tokens (`nextToken`): where a listing stopped, sealed so that a client can neither read nor change it. AES-256-GCM
 * (authenticated encryption, node:crypto): the token is base64url(IV | ciphertext | tag). The listing's own filters
 * are the additional authenticated data, so a token only opens for the listing that issued it. A token that does not
 * open (edited, truncated, forged, from another listing or another key) is refused, never trusted: docs/security.md.
 *
 * The key: in AWS a Secrets Manager secret the stack generates (`PAGE_TOKEN_SECRET_ARN`), read once per execution
 * environment; offline the local cloud's own value (`PAGE_TOKEN_KEY`, which the template declares empty). Either is
 * stretched to 32 bytes with SHA-256.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { namingUnavailability, sdkCallBounds } from './clients';
import { requireEnv } from './env';
import { traced } from './tracing';

const IV_BYTES = 12;
const TAG_BYTES = 16;

let keyPromise: Promise<Buffer> | undefined;

/** The sealing key, fetched at most once per execution environment (a failed fetch is tried again next time). */
function pageTokenKey(): Promise<Buffer> {
  keyPromise ??= loadKey().catch((error: unknown) => {
    keyPromise = undefined;
    throw error;
  });
  return keyPromise;
}

async function loadKey(): Promise<Buffer> {
  const local = process.env.PAGE_TOKEN_KEY;
  if (local) return stretch(local);
  const secrets = traced(namingUnavailability(new SecretsManagerClient(sdkCallBounds)));
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: requireEnv('PAGE_TOKEN_SECRET_ARN') }),
  );
  if (!SecretString) throw new Error('The page token secret has no SecretString');
  return stretch(SecretString);
}

function stretch(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Seals `payload` (any JSON) for the listing described by `context`. */
export async function sealPageToken(payload: unknown, context: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await pageTokenKey(), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The payload of a token this listing sealed, or undefined for anything else. */
export async function openPageToken(token: string, context: string): Promise<unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', await pageTokenKey(), bytes.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    const text = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
