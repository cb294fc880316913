/**
 * The error tree. Every error Berth throws is a {@link DockerError}; the engine's own words are kept in
 * `message` so that the official documentation and search engines apply to them unchanged.
 */

/** What every error thrown by Berth has in common. */
export class DockerError extends Error {
  /** A stable, machine-readable code (`'NOT_FOUND'`, `'CONNECTION'` …), for `switch` statements and logs. */
  readonly code: string;

  constructor(message: string, code = 'DOCKER', options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where an engine answer came from: kept on every {@link EngineError}. */
export interface EngineErrorDetails {
  /** HTTP status the engine answered with. */
  status: number;
  /** HTTP method of the request. */
  method: string;
  /** Request path without the version prefix and query, e.g. `/containers/abc/start`. */
  path: string;
  /** The engine's own message (`{"message": …}` in the body), or the status text if it sent none. */
  message: string;
}

/** The engine answered with an error status. Subclasses name the common ones. */
export class EngineError extends DockerError {
  /** HTTP status the engine answered with. */
  readonly status: number;
  /** HTTP method of the request. */
  readonly method: string;
  /** Request path without the version prefix and query. */
  readonly path: string;

  constructor(details: EngineErrorDetails, code = 'ENGINE') {
    super(details.message, code);
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
  }
}

/** 400: the engine rejected a parameter. */
export class BadRequestError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'BAD_REQUEST'); }
}
/** 401: the registry or engine wants credentials. */
export class UnauthorizedError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'UNAUTHORIZED'); }
}
/** 403: the operation is not allowed (for example removing a built-in network). */
export class ForbiddenError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'FORBIDDEN'); }
}
/** 404: no such container, image, network, volume … (the message says which). */
export class NotFoundError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'NOT_FOUND'); }
}
/** 409: a conflict, such as a name already in use or removing a running container. */
export class ConflictError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'CONFLICT'); }
}
/** 500: the engine failed. */
export class ServerError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'SERVER'); }
}
/** 503: the engine cannot do it now, e.g. "This node is not a swarm manager". */
export class UnavailableError extends EngineError {
  constructor(details: EngineErrorDetails) { super(details, 'UNAVAILABLE'); }
}

/**
 * An operation (or an option of one) this engine does not implement: its router has no such route (a 404
 * that is not "no such container"), such as `ContainerUpdate` on Podman 4, or the engine said it cannot do
 * what the option asks. `status` is the engine's. Not a {@link NotFoundError}, so code that ignores missing
 * objects does not silently ignore a missing feature.
 */
export class UnsupportedOperationError extends EngineError {
  /** The operation (spec `operationId`), e.g. `ContainerUpdate`. */
  readonly operation: string;
  /** The engine as its `/_ping` named it, e.g. `Podman 4.3.1`. */
  readonly engine: string;

  constructor(details: EngineErrorDetails & { operation: string; engine: string }) {
    super(details, 'UNSUPPORTED');
    this.operation = details.operation;
    this.engine = details.engine;
  }
}

const errorClassByStatus: Record<number, new (details: EngineErrorDetails) => EngineError> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  500: ServerError,
  503: UnavailableError,
};

/** Builds the typed error for an engine status; statuses without a class of their own are plain {@link EngineError}s. */
export function engineErrorFor(details: EngineErrorDetails): EngineError {
  const ErrorClass = errorClassByStatus[details.status];
  return ErrorClass ? new ErrorClass(details) : new EngineError(details);
}

/** The engine could not be reached, or the connection broke. `hint` says what the user can do. */
export class ConnectionError extends DockerError {
  /** The endpoint, as the user would write it (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
  readonly endpoint: string;
  /** What to try, e.g. "Is the docker daemon running?". */
  readonly hint: string;

  constructor(endpoint: string, reason: string, hint: string, options?: { cause?: unknown }) {
    super(`Cannot connect to the Docker daemon at ${endpoint}: ${reason}.${hint ? ' ' + hint : ''}`, 'CONNECTION', options);
    this.endpoint = endpoint;
    this.hint = hint;
  }
}

/** A request or response broke the HTTP protocol (a malformed response, a connection cut mid-body). */
export class ProtocolError extends DockerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'PROTOCOL', options);
  }
}

/** A timeout passed: connecting, or waiting for the response headers. */
export class TimeoutError extends DockerError {
  constructor(message: string) {
    super(message, 'TIMEOUT');
  }
}

/** A streamed response carried an error line (`{"error": …, "errorDetail": …}`) although the status was 2xx. */
export class StreamError extends DockerError {
  /** `errorDetail.code` when the engine gave one. */
  readonly detailCode: number | undefined;

  constructor(message: string, detailCode?: number) {
    super(message, 'STREAM');
    this.detailCode = detailCode;
  }
}

/** The negotiated (or pinned) API version is too old for the method; raised before any request is sent. */
export class VersionError extends DockerError {
  /** The API version the method needs. */
  readonly required: string;
  /** The API version in use with this engine. */
  readonly current: string;

  constructor(operation: string, required: string, current: string) {
    super(`${operation} requires API version ${required}, but the engine is using ${current}`, 'VERSION');
    this.required = required;
    this.current = current;
  }
}

/** An argument was invalid; raised before any request is sent. */
export class InvalidArgumentError extends DockerError {
  constructor(message: string) {
    super(message, 'INVALID_ARGUMENT');
  }
}

/** True when `error` is a {@link NotFoundError}; a type guard for `catch (e)`. */
export function isNotFound(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError;
}
