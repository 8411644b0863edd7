/** What a 4xx or 5xx answer says, as JSON: `{ "error": { "code": "...", "message": "..." } }`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** A request the server refuses: the HTTP status, a stable code and a sentence saying what was wrong. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The queue of pending predictions is full: answered 503 with `Retry-After`. */
export class QueueFullError extends RequestError {
  override name = 'QueueFullError';
  constructor(readonly capacity: number) {
    super(503, 'queue-full', `the prediction queue is full (${capacity} images waiting); retry later`);
  }
}

/** The server is shutting down and takes no new predictions (503). */
export class ShuttingDownError extends RequestError {
  override name = 'ShuttingDownError';
  constructor() {
    super(503, 'shutting-down', 'the server is shutting down');
  }
}

/** A model directory the server cannot serve: missing files, bad JSON, a wrong input shape. */
export class ModelDirError extends Error {
  override name = 'ModelDirError';
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir}: ${reason}`);
  }
}

/** A bad command line of `cnn-serve` (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
