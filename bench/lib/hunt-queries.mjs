// The twelve hunting queries of the `hunt` benchmark: each as KQL (compiled by Vigil) and as the SQL a person
// would write by hand for the same answer. `rows: true` means the answer is deterministic, so the rows themselves
// are compared; otherwise only the row count is (ties in arg_max or take pick any row).

const WEEK_AGO = "TIMESTAMP '2026-11-22 00:00:00'";

export const queries = [
  {
    name: 'filter_eq',
    rows: true,
    kql: 'DeviceProcessEvents | where FileName == "powershell.exe" and AccountName == "admin" | count',
    sql: `SELECT count(*) FROM DeviceProcessEvents WHERE FileName = 'powershell.exe' AND AccountName = 'admin'`,
  },
  {
    name: 'has_term',
    rows: true,
    kql: 'DeviceProcessEvents | where ProcessCommandLine has "encodedcommand" | summarize n = count() by DeviceName',
    sql: `SELECT DeviceName, count(*) AS n FROM DeviceProcessEvents
          WHERE contains(lower(ProcessCommandLine), 'encodedcommand')
            AND regexp_matches(ProcessCommandLine, '(?i)(^|[^0-9a-z])encodedcommand($|[^0-9a-z])') GROUP BY DeviceName`,
  },
  {
    name: 'contains',
    rows: true,
    kql: 'DeviceNetworkEvents | where RemoteUrl contains "EVIL" | summarize n = count() by RemoteUrl',
    sql: `SELECT RemoteUrl, count(*) AS n FROM DeviceNetworkEvents WHERE contains(lower(RemoteUrl), 'evil')
          GROUP BY RemoteUrl`,
  },
  {
    name: 'bin_hour',
    rows: true,
    kql: 'DeviceProcessEvents | where Timestamp > ago(7d) | summarize n = count() by bin(Timestamp, 1h)',
    sql: `SELECT time_bucket(INTERVAL 1 HOUR, Timestamp) AS t, count(*) AS n FROM DeviceProcessEvents
          WHERE Timestamp > ${WEEK_AGO} GROUP BY 1`,
  },
  {
    name: 'parent_child_join',
    rows: true,
    kql: `DeviceProcessEvents
| where FileName == "powershell.exe"
| join kind=inner (DeviceProcessEvents | where FileName == "cmd.exe" | project DeviceId, ParentId = ProcessId, ParentCommandLine = ProcessCommandLine)
    on DeviceId, $left.InitiatingProcessId == $right.ParentId
| summarize n = count() by ParentCommandLine`,
    sql: `SELECT p.ProcessCommandLine AS ParentCommandLine, count(*) AS n
          FROM DeviceProcessEvents c JOIN DeviceProcessEvents p ON c.DeviceId = p.DeviceId AND c.InitiatingProcessId = p.ProcessId
          WHERE c.FileName = 'powershell.exe' AND p.FileName = 'cmd.exe' GROUP BY 1`,
  },
  {
    name: 'arg_max',
    rows: false,
    kql: 'DeviceNetworkEvents | summarize arg_max(Timestamp, RemoteIP, RemotePort) by DeviceId',
    sql: `SELECT DeviceId, max(Timestamp) AS Timestamp, arg_max(RemoteIP, Timestamp) AS RemoteIP,
          arg_max(RemotePort, Timestamp) AS RemotePort FROM DeviceNetworkEvents GROUP BY DeviceId`,
  },
  {
    name: 'dcount',
    rows: true,
    kql: 'DeviceNetworkEvents | where ActionType == "ConnectionSuccess" | summarize ips = dcount(RemoteIP) by DeviceId',
    sql: `SELECT DeviceId, count(DISTINCT RemoteIP) AS ips FROM DeviceNetworkEvents
          WHERE ActionType = 'ConnectionSuccess' GROUP BY DeviceId`,
  },
  {
    name: 'top',
    rows: true,
    kql: 'DeviceFileEvents | summarize n = count() by FolderPath | top 5 by n desc',
    sql: 'SELECT FolderPath, count(*) AS n FROM DeviceFileEvents GROUP BY FolderPath ORDER BY n DESC LIMIT 5',
  },
  {
    name: 'in_ci',
    rows: true,
    kql: 'DeviceProcessEvents | where FileName in~ ("RUNDLL32.EXE", "regsvr32.exe", "mshta.exe") | summarize n = count() by AccountName',
    sql: `SELECT AccountName, count(*) AS n FROM DeviceProcessEvents
          WHERE lower(FileName) IN ('rundll32.exe', 'regsvr32.exe', 'mshta.exe') GROUP BY AccountName`,
  },
  {
    name: 'startswith_endswith',
    rows: true,
    kql: 'DeviceFileEvents | where FolderPath startswith @"C:\\Users\\" and FileName endswith ".ps1" | count',
    sql: `SELECT count(*) FROM DeviceFileEvents
          WHERE starts_with(lower(FolderPath), 'c:\\users\\') AND ends_with(lower(FileName), '.ps1')`,
  },
  {
    name: 'union_withsource',
    rows: true,
    kql: `union withsource=Source DeviceProcessEvents, DeviceFileEvents
| where InitiatingProcessFileName =~ "powershell.exe"
| summarize n = count() by Source`,
    sql: `SELECT 'DeviceProcessEvents' AS Source, count(*) AS n FROM DeviceProcessEvents
          WHERE lower(InitiatingProcessFileName) = 'powershell.exe'
          UNION ALL SELECT 'DeviceFileEvents', count(*) FROM DeviceFileEvents
          WHERE lower(InitiatingProcessFileName) = 'powershell.exe'`,
  },
  {
    name: 'extend_summarize',
    rows: true,
    kql: `DeviceNetworkEvents
| where RemotePort == 3389
| extend Hour = hourofday(Timestamp)
| summarize conns = count(), ips = dcount(RemoteIP) by Hour`,
    sql: `SELECT hour(Timestamp) AS Hour, count(*) AS conns, count(DISTINCT RemoteIP) AS ips
          FROM DeviceNetworkEvents WHERE RemotePort = 3389 GROUP BY 1`,
  },
];
