export { registerRecordingRoutes } from './recordings.http.js';
export { RecordingUrlResolver } from './recording-url.resolver.js';
export { sweepRecordings, attachRecording } from './attach.js';
export { deleteRecording, recordingSpoolDir } from './storage.js';
