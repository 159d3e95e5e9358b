import type { EventMapping, MappedEvent } from './event-mapping.js';
import { text } from './field-values.js';
import { serviceBinaryColumns } from './security-columns.js';
import type { WindowsEvent } from './windows-event.js';

function serviceInstalled(e: WindowsEvent): MappedEvent {
  const d = e.data;
  const startType = text(d.StartType);
  const account = text(d.AccountName);
  return {
    columns: {
      ActionType: 'ServiceInstalled',
      ...serviceBinaryColumns(d.ImagePath),
      // The System/Security UserID of 7045 is the account that installed the service.
      InitiatingProcessAccountSid: e.userId,
    },
    additional: {
      ...(startType === undefined ? {} : { ServiceStartType: startType }),
      ...(account === undefined ? {} : { ServiceAccount: account }),
    },
  };
}

/** System log event ids with the table and ActionType Defender uses. */
export const systemMappings = [
  {
    source: 'system',
    eventId: 7045,
    title: 'A service was installed in the system',
    table: 'DeviceEvents',
    actionTypes: ['ServiceInstalled'],
    map: serviceInstalled,
  },
] as const satisfies readonly EventMapping[];
