export {
  type RunningServer,
  runningServerInfo,
  type ServerInfo,
  type ServerOptions,
  startServer,
} from './start-server.js';
