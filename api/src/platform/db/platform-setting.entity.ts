import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Platform-wide values created at first start, such as the token signing secret. */
export const PlatformSetting = defineEntity({
  name: 'PlatformSetting',
  tableName: 'platform_setting',
  properties: {
    key: p.string().length(80).primary(),
    value: p.text().hidden(),
  },
});
export type PlatformSetting = InferEntity<typeof PlatformSetting>;
