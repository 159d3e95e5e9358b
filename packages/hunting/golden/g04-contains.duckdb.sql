SELECT "ProcessId" AS "ProcessId" FROM (SELECT * FROM (SELECT "ProcessId", coalesce("ProcessCommandLine", '') AS "ProcessCommandLine" FROM "DeviceProcessEvents") AS _t WHERE (contains(lower("ProcessCommandLine"), $1) AND (NOT contains("ProcessCommandLine", CAST($2 AS VARCHAR))))) AS _t
-- params: ["net user","admin"]
