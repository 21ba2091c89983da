/** The wallboard bundle: defines `<sb-wallboard>`. */
export { SbWallboard } from './sb-wallboard.js';
