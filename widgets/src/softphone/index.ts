/** The agent softphone bundle: defines `<sb-softphone>` (and its `<sb-dialpad>`). */
export { SbSoftphone } from './sb-softphone.js';
export { SbDialpad } from './sb-dialpad.js';
