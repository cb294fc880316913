import type { ProgressMessage, ProgressReducer } from '../stream/progress.js';
import { familiarName } from './podman-compat.js';

/** A line of `pull` progress: `status` per layer (`id`), then `Digest: …` and `Status: …` lines. */
export type PullMessage = ProgressMessage<Record<string, unknown>>;

/** The `aux` record that ends a push. */
export interface PushAux {
  Tag?: string;
  Digest?: string;
  Size?: number;
}
/** A line of `push` progress. */
export type PushMessage = ProgressMessage<PushAux>;

/** The `aux` record with the built image's `ID` (classic builder, and BuildKit's `moby.image.id` line). */
export type BuildAux = { ID?: string } & Record<string, unknown>;
/**
 * A line of build output: `stream` text, `status` lines, `aux` records. With BuildKit (`version: '2'`), lines
 * with `id: 'moby.buildkit.trace'` carry a base64 protobuf `StatusResponse` as a string in `aux`.
 */
export type BuildMessage = ProgressMessage<BuildAux | string>;

/** A line of `load` or `import` progress. */
export type LoadMessage = ProgressMessage<Record<string, unknown>>;

/** What a finished pull tells. */
export interface PullResult {
  /** The reference pulled, tag included (`127.0.0.1:5000/app:1`). */
  reference: string;
  /** The manifest digest the engine reported (`Digest: sha256:…`), when it did. */
  digest: string | undefined;
  /** The engine's closing status, e.g. `Downloaded newer image for …` or `Image is up to date for …`. */
  status: string | undefined;
}

/** What a finished push tells (the engine's closing `aux` record). */
export interface PushResult {
  tag: string | undefined;
  /** The manifest digest in the registry (`sha256:…`). */
  digest: string | undefined;
  /** The manifest's size in bytes. */
  size: number | undefined;
}

/** What a finished build tells. */
export interface BuildResult {
  /** The built image's ID (`sha256:…`), when the engine reported it (it does unless `q` or `outputs` says otherwise). */
  id: string | undefined;
}

/** What a finished load tells. */
export interface LoadResult {
  /** The references loaded (`name:tag`), and the IDs of untagged images loaded (`sha256:…`). */
  images: string[];
}

/** What a finished import tells. */
export interface ImportResult {
  /** The new image's ID. */
  id: string | undefined;
}

/** Collects a pull's digest and closing status. */
export function pullReducer(reference: string): ProgressReducer<PullMessage, PullResult> {
  let digest: string | undefined;
  let status: string | undefined;
  return {
    add(message) {
      const text = message.status;
      if (!text) return;
      if (text.startsWith('Digest: ')) digest = text.slice('Digest: '.length).trim();
      else if (text.startsWith('Status: ')) status = text.slice('Status: '.length).trim();
    },
    result: () => ({ reference, digest, status }),
  };
}

/** Collects a push's closing `aux` record. */
export function pushReducer(): ProgressReducer<PushMessage, PushResult> {
  let aux: PushAux = {};
  return {
    add(message) {
      if (message.aux && (message.aux.Digest || message.aux.Tag)) aux = message.aux;
      // Podman sends no aux record, only the status line dockerd also sends: "TAG: digest: sha256:… size: N".
      const line = message.status?.match(/^(\S+): digest: (\S+:[0-9a-f]+) size: (\d+)$/);
      if (line && !aux.Digest) aux = { Tag: line[1], Digest: line[2], Size: Number(line[3]) };
    },
    result: () => ({ tag: aux.Tag, digest: aux.Digest, size: aux.Size }),
  };
}

/** Finds the image ID in a build's output: the `aux.ID` record, else the classic `Successfully built` line. */
export function buildReducer(): ProgressReducer<BuildMessage, BuildResult> {
  let id: string | undefined;
  let shortId: string | undefined;
  return {
    add(message) {
      const auxId = typeof message.aux === 'object' && message.aux !== null ? message.aux.ID : undefined;
      if (typeof auxId === 'string' && (message.id === undefined || message.id === 'moby.image.id')) id = auxId;
      const built = message.stream?.match(/^Successfully built ([0-9a-f]+)/);
      if (built) shortId = built[1];
      // With `q` the classic builder's only output is the ID itself.
      // (Podman sends it without the `sha256:` prefix.)
      const quietId = message.stream?.match(/^(?:sha256:)?([0-9a-f]{64})\s*$/);
      if (quietId) id = `sha256:${quietId[1]}`;
    },
    result: () => ({ id: id ?? shortId }),
  };
}

/** Collects the `Loaded image: …` and `Loaded image ID: …` lines of a load. */
export function loadReducer(): ProgressReducer<LoadMessage, LoadResult> {
  const images: string[] = [];
  return {
    add(message) {
      for (const line of (message.stream ?? '').split('\n')) {
        const loaded = line.match(/^Loaded image(?: ID)?: (.+)$/);
        // Podman names Docker Hub images in full (`docker.io/library/x:1`); dockerd as written (`x:1`).
        if (loaded) images.push(familiarName(loaded[1]!.trim()));
      }
    },
    result: () => ({ images }),
  };
}

/** An import ends with the new image's ID as its last status line. */
export function importReducer(): ProgressReducer<LoadMessage, ImportResult> {
  let id: string | undefined;
  return {
    add(message) {
      if (message.status && /^(sha256:)?[0-9a-f]{12,}$/.test(message.status.trim())) id = message.status.trim();
    },
    result: () => ({ id }),
  };
}
