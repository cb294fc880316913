/**
 * Berth: a client for the Docker Engine API.
 *
 * ```ts
 * import { Docker } from 'berth';
 * const docker = Docker.fromEnv();
 * ```
 * @packageDocumentation
 */
export { Docker, type DockerOptions, type RequestOptions, type RouteMethod, type RoutePath, type RouteOperation } from './docker.js';
export type { CallOptions, EngineKind, PingResult } from './api/api-client.js';
export { CALL_CHANNEL, type CallEvent } from './api/call-channel.js';
export type { Containers, StartResult, StopResult, PathStat, ArchiveResult, TarSource } from './api/containers.js';
export type { System, SessionOptions, EventsQuery, EventTime } from './api/system.js';
export type { Images, CommitOptions } from './api/images.js';
export { NonZeroExitError } from './api/run.js';
export type { PullPolicy, RunInput, RunOptions, RunCollectOptions, RunResult, RunStream } from './api/run.js';
export type { ImageTransfers, PullOptions, PushOptions, ImportOptions, BuildOptions } from './api/image-transfers.js';
export type {
  PullMessage, PushMessage, PushAux, BuildMessage, BuildAux, LoadMessage, PullResult, PushResult, BuildResult, LoadResult,
  ImportResult,
} from './api/image-progress.js';
export { ProgressOperation, type ProgressMessage, type ProgressDetail, type ProgressReducer } from './stream/progress.js';
export { CredentialStore, encodeRegistryAuth, type RegistryAuth, type CredentialStoreOptions } from './auth/credential-store.js';
export { CredentialHelperError, type CredentialHelperRunner, type HelperCredentials } from './auth/credential-helper.js';
export { dockerConfigPath, readDockerConfigFile, type CredentialsConfig, type ConfigAuthEntry } from './auth/config-file.js';
export {
  parseImageReference, registryAuthKey, DOCKER_HUB_AUTH_KEY, DOCKER_HUB_REGISTRY, type ImageReference,
} from './auth/reference.js';
export { directoryContext, walkContext, type DirectoryContextOptions, type ContextEntry } from './build/context.js';
export { parseDockerignore } from './build/dockerignore.js';
export { PatternMatcher, type IgnorePattern, type MatchInfo } from './build/pattern-matcher.js';
export type { Exec, ExecRunOptions, ExecRunResult } from './api/exec.js';
export type { Networks, NetworkPruneResult } from './api/networks.js';
export type { Volumes, VolumeListResult, VolumePruneResult } from './api/volumes.js';
export type { Swarm } from './api/swarm.js';
export type { Nodes } from './api/nodes.js';
export type { Services, ServiceWriteOptions, ServiceInfo } from './api/services.js';
export type { Tasks } from './api/tasks.js';
export type { Secrets, CreatedObject } from './api/secrets.js';
export type { Configs } from './api/configs.js';
export type { Plugins, PluginRegistryOptions, PluginProgress } from './api/plugins.js';
export type { Distribution } from './api/distribution.js';
export type { OutputFrame, StreamName } from './stream/frames.js';
export type { HijackedSession, SessionInput, TerminalSize } from './stream/hijacked-session.js';
export type { HttpResponse } from './transport/response.js';
export type { TlsOptions } from './transport/connector-for-endpoint.js';
export type { Connector, ConnectOptions } from './transport/connector.js';
export type { SshOptions } from './transport/ssh-connector.js';
export { parseHost, type Endpoint } from './transport/endpoint.js';
export {
  resolveEndpoint, defaultHost, dockerHostOverrideWarning, DEFAULT_NAMED_PIPE,
  type ResolveEndpointOptions, type ResolvedEndpoint, type EndpointSource,
} from './config/resolve-endpoint.js';
export {
  listContexts, readContext, createContext, removeContext, inspectContext, defaultContext, validateContextName,
  contextDirectoryName, ContextNotFoundError, DEFAULT_CONTEXT_NAME, DEFAULT_CONTEXT_DESCRIPTION,
  type DockerContext, type ContextMetadata, type ContextDockerEndpoint, type ContextTlsMaterial, type CreateContextOptions,
} from './config/contexts.js';
export { dockerConfigDir, readDockerConfig, writeCurrentContext, type DockerConfigFile, type Environment } from './config/docker-config.js';
export {
  DockerError, EngineError, BadRequestError, UnauthorizedError, ForbiddenError, NotFoundError, ConflictError,
  ServerError, UnavailableError, ConnectionError, ProtocolError, TimeoutError, StreamError, VersionError,
  InvalidArgumentError, UnsupportedOperationError, isNotFound, type EngineErrorDetails,
} from './errors.js';
export type * from './generated/models.js';
// Three spec models share their names with Berth's own types above; they are exported under these names too.
export type { Swarm as SwarmModel, ProgressDetail as ProgressDetailModel, ServiceInfo as ServiceInfoModel } from './generated/models.js';
export type * from './generated/operations.js';
export { LATEST_API_VERSION, OLDEST_API_VERSION } from './generated/operations.js';
