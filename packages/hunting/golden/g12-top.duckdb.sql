SELECT "ProcessId" AS "ProcessId" FROM (SELECT * FROM (SELECT * FROM (SELECT "Timestamp", "ProcessId" FROM "DeviceProcessEvents") AS _t ORDER BY "Timestamp" DESC NULLS LAST) AS _t LIMIT 2) AS _t
-- params: []
