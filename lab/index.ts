/** The lab's library API, for tests and the benchmark. */
export { ensureLab, createContainer, destroyContainer, labDown, labStatus, labProcesses } from './lab.js';
export type { LabInfo, LabStatus, ContainerStatus, DownReport, Log } from './lab.js';
export { labCanRun } from './can-run.js';
export type { CanRun } from './can-run.js';
export { lxcTool, containerState, refreshInitPid, startContainer, stopContainer, uniqueName } from './container.js';
export type { LabContainer, CreateOptions } from './container.js';
export { processesInPidns, treeKey, waitForStableTree } from './proc.js';
export type { ProcInfo } from './proc.js';
export { criuErrors, rootError, rootErrorText } from './criu-log.js';
export type { CriuError } from './criu-log.js';
export type { CriuChoice, CriuCandidate } from './state.js';
export { LAB_ROOT, LAB_LXCPATH, LAB_BRIDGE, LAB_TMP } from './paths.js';
export { ensureSshHost, TARGET_LXCPATH } from './ssh-host.js';
export type { SshHost } from './ssh-host.js';
