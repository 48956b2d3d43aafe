/** Client-side validators mirroring the server's rules (see each module). */
export * from './result';
export * from './date';
export * from './idcard';
export * from './creditCode';
export * from './region';
export * from './password';
export * from './phone';
export * from './names';
export * from './joinAge';
export { rules, fromCheck, checkMessage } from './rules';
