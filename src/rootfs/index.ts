/** The rootfs readers: a directory on the host, or a tar image. */
export { readRootfsDir } from './dir.js';
export { readRootfsImage } from './image.js';
