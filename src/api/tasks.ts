import type { TaskInspectResponse, TaskListQuery, TaskListResponse, TaskLogsQuery } from '../generated/operations.js';
import type { OutputFrame } from '../stream/frames.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { decodeOutput } from './output.js';
import { route } from './route.js';
import { validateTail } from './validate.js';

/**
 * The Task operations of the Engine API (swarm managers only): the units a service runs, one container each.
 *
 * ```ts
 * const tasks = await docker.tasks.list({ filters: { service: ['web'], 'desired-state': ['running'] } });
 * ```
 */
export class Tasks {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists tasks (`filters`: `desired-state`, `id`, `label`, `name`, `node`, `service`). */
  list(query: TaskListQuery = {}, options?: CallOptions): Promise<TaskListResponse> {
    return this.#api.json({ operation: 'TaskList', method: 'GET', path: '/tasks', query, options });
  }

  /** A task's spec, state and the container it runs. */
  inspect(id: string, options?: CallOptions): Promise<TaskInspectResponse> {
    return this.#api.json({ operation: 'TaskInspect', method: 'GET', path: route`/tasks/${id}`, options });
  }

  /** One task's output, as frames `{ stream, data }`. Ask for `stdout` and/or `stderr`. */
  logs(id: string, query: TaskLogsQuery = {}, options?: CallOptions): AsyncIterable<OutputFrame> {
    const path = route`/tasks/${id}/logs`;
    validateTail(query.tail);
    const hasTty = async () => (await this.inspect(id, options)).Spec?.ContainerSpec?.TTY === true;
    return this.#api.stream({ operation: 'TaskLogs', method: 'GET', path, query, options }, (response) => decodeOutput(response, hasTty));
  }
}
