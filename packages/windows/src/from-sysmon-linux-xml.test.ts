import { describe, expect, it } from 'vitest';
import { fromSysmonLinuxXml } from './from-sysmon-linux-xml.js';

const line =
  'Oct 13 20:18:12 ubuntu sysmon: <Event><System><Provider Name="Linux-Sysmon" ' +
  'Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>1</EventID><Version>5</Version><Level>4</Level>' +
  '<Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>' +
  '<TimeCreated SystemTime="2021-10-13T20:18:12.328447000Z"/><EventRecordID>29</EventRecordID><Correlation/>' +
  '<Execution ProcessID="19437" ThreadID="19437"/><Channel>Linux-Sysmon/Operational</Channel>' +
  '<Computer>ubuntu</Computer><Security UserId="0"/></System><EventData>' +
  '<Data Name="RuleName">-</Data><Data Name="UtcTime">2021-10-13 20:18:12.334</Data>' +
  '<Data Name="ProcessGuid">{5d5c3a2b-3f24-6167-c5b6-30dd7f550000}</Data><Data Name="ProcessId">19444</Data>' +
  '<Data Name="Image">/usr/bin/ls</Data><Data Name="CommandLine">ls -la &amp;&amp; echo &lt;done&gt;</Data>' +
  '<Data Name="CurrentDirectory">/root</Data><Data Name="User">root</Data><Data Name="LogonId">0</Data>' +
  '<Data Name="ParentProcessId">19437</Data><Data Name="ParentImage">/usr/bin/bash</Data>' +
  '<Data Name="ParentCommandLine">-bash</Data><Data Name="ParentUser"></Data></EventData></Event>';

describe('fromSysmonLinuxXml', () => {
  it('reads a syslog line with a Sysmon for Linux event', () => {
    const r = fromSysmonLinuxXml(line);
    expect(r.ok && r.value).toMatchObject({
      provider: 'Linux-Sysmon',
      providerGuid: '{FF032593-A8D3-4F13-B0D6-01FC615A0F97}',
      eventId: 1,
      version: 5,
      keywords: '0x8000000000000000',
      timeCreated: '2021-10-13T20:18:12.328447Z',
      recordId: 29,
      channel: 'Linux-Sysmon/Operational',
      computer: 'ubuntu',
      processId: 19437,
      userId: '0',
      dataKind: 'EventData',
    });
    expect(r.ok && r.value.data).toMatchObject({
      CommandLine: 'ls -la && echo <done>',
      Image: '/usr/bin/ls',
      ProcessId: '19444',
      ParentUser: '',
    });
  });

  it.each([
    ['no event', 'sysmon: started', 'WINDOWS_NO_XML_EVENT'],
    ['broken XML', '<Event><System><EventID>1</System></Event>', 'WINDOWS_BAD_XML'],
    ['no System', '<Event><EventData></EventData></Event>', 'WINDOWS_NO_SYSTEM'],
    ['no EventID', line.replace('<EventID>1</EventID>', ''), 'WINDOWS_NO_EVENT_ID'],
  ])('reports %s', (_name, input, code) => {
    const r = fromSysmonLinuxXml(input);
    expect(r.ok === false && r.error.code).toBe(code);
  });
});
