/** The website chat bundle: `<script type="module" src=".../widgets/webchat.js">` defines `<sb-webchat>`. */
export { SbWebchat } from './sb-webchat.js';
