/** Published (platform-wide, id PLATFORM_TOPIC_ID) after anything on the status page changed. */
export const STATUS_CHANGED = 'STATUS_CHANGED';

export interface StatusChangedPayload {
  reason: string;
}
